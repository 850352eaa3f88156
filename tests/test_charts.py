"""Chart helpers (ui/charts.py): presenter mode's larger chart text, the β family's axes."""

from ui.charts import PLOTLY_FONT_PX, enlarged, family_figure
from ui.tabs.lesson import figures


def sizes(fig):
    return ([fig.layout.font.size, fig.layout.legend.font.size] + [a.font.size for a in fig.layout.annotations]
            + [axis.tickfont.size for axis in fig.select_xaxes()] + [axis.tickfont.size for axis in fig.select_yaxes()])


def test_presenter_mode_grows_every_text_a_figure_sets_and_the_default():
    fig = figures.distance_from_centre([1.0, 2.0, 3.0], [0.5, 1.0])
    fig.update_layout(legend_font_size=9)
    fig.update_xaxes(tickfont_size=10)
    before = [size or PLOTLY_FONT_PX for size in sizes(fig)]
    after = sizes(enlarged(fig, 1.5))
    assert after == [round(size * 1.5) for size in before]


def test_the_share_of_clear_samples_is_drawn_from_zero():
    fig = family_figure([0.0, 1.0], {"KL (nats)": [200.0, 6.0], "samples judged clear (%)": [58.6, 58.6]}, 1.0)
    assert fig.layout.yaxis2.range == (0, 100) and fig.layout.yaxis.range is None
