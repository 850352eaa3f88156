"""One ES module from an element's view and the pure modules it imports, for st.components.v2.

Streamlit serves an inline component's JavaScript as one module from a blob: URL, where a
relative import (./core.mjs) cannot resolve. The .mjs files stay the source, and what
`node --test` checks; `bundle` inlines the pure modules in place of the view's imports of them,
once, when the element is declared.
"""

import os
import re
from pathlib import Path


def bundle(view, *modules):
    """The text of view (a path) with each module (a path) inlined: one module, no imports.

    view must import from each module by its relative path ("./core.mjs", "../other/core.mjs") in
    exactly one statement and from nowhere else; a module must import nothing and have no default
    export (its `export`s become plain declarations), and the modules must not declare the same names.
    """
    view = Path(view)
    source = view.read_text()
    for module in map(Path, modules):
        specifier = os.path.relpath(module, view.parent).replace(os.sep, "/")
        specifier = specifier if specifier.startswith("../") else "./" + specifier
        pattern = re.compile(r'^import \{[^}]*\} from "' + re.escape(specifier) + r'";$', re.MULTILINE)
        if len(pattern.findall(source)) != 1:
            raise ValueError(f"{view.name} must import from {specifier} in exactly one import statement")
        pure = module.read_text()
        if re.search(r"^(import\b|export default\b)", pure, re.MULTILINE):
            raise ValueError(f"{module.name} must import nothing and have no default export")
        source = pattern.sub(lambda _: re.sub(r"^export ", "", pure, flags=re.MULTILINE), source)
    if re.search(r"^import\b", source, re.MULTILINE):
        raise ValueError(f"{view.name} must import only from {', '.join(Path(m).name for m in modules)}")
    return source
