"""One ES module from an element's view and the pure module it imports, for st.components.v2.

Streamlit serves an inline component's JavaScript as one module from a blob: URL, where a
relative import (./core.mjs) cannot resolve. The .mjs files stay the source, and what
`node --test` checks; `bundle` inlines the pure module in place of the view's one import of it,
once, when the element is declared.
"""

import re
from pathlib import Path


def bundle(view, module):
    """The text of view (a path) with module (a path beside it) inlined: one module, no imports.

    view must import from ./<module> in exactly one statement and from nowhere else; module must
    import nothing and have no default export (its `export`s become plain declarations).
    """
    view, module = Path(view), Path(module)
    source, pure = view.read_text(), module.read_text()
    pattern = re.compile(r'^import \{[^}]*\} from "\./' + re.escape(module.name) + r'";$', re.MULTILINE)
    if len(pattern.findall(source)) != 1 or re.search(r"^import\b", pattern.sub("", source), re.MULTILINE):
        raise ValueError(f"{view.name} must import only from ./{module.name}, in one import statement")
    if re.search(r"^(import\b|export default\b)", pure, re.MULTILINE):
        raise ValueError(f"{module.name} must import nothing and have no default export")
    return pattern.sub(lambda _: re.sub(r"^export ", "", pure, flags=re.MULTILINE), source)
