"""Which components `conditional.hide` hides for given data, the way form-js decides it.

Components are visited in document order; a hidden component hides everything inside it, and its value
is taken out of the data the later conditions see. Hidden means the expression yields exactly true.
"""

from . import feel
from .model import Component, Form
from .paths import delete_path, merged


def hides(c: Component, data: dict) -> bool:
    hide = c.hide
    return hide is True or (isinstance(hide, str) and feel.is_true(hide, data))


def hidden_components(form: Form, data: dict) -> set[int]:
    """ids (`id(component)`) of the hidden components, nested ones included."""
    scope, hidden = merged(data, {}), set()

    def visit(components, parent_hidden):
        for c in components:
            is_hidden = parent_hidden or hides(c, scope)
            if is_hidden:
                hidden.add(id(c))
                if c.key:
                    delete_path(scope, c.key)
            visit(c.components, is_hidden)

    visit(form.components, False)
    return hidden
