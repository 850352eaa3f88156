"""One module per tab, each with one `*_panel(lab)` fragment that app.py places in its tab.

explore.py      sliders, the decoded digit and the clickable latent map (the explorer element)
compare.py      AE vs VAE: the same random draws through both, judged, and where they land
interpolate.py  a walk from one test digit to another in both latent spaces, beside 200 random pairs
lesson.py       the article's argument, one live step at a time
draw.py         the student's own digit through both models: reconstructions, the VAE's cloud, samples
"""
