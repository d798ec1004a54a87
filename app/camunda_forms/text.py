"""Text components: the designer's Markdown as HTML that cannot carry scripts or load other sites' images."""

import markdown
import nh3
from markupsafe import Markup

# Images are left out: a task page should not fetch from addresses a form file names.
TAGS = nh3.ALLOWED_TAGS - {"img", "map", "area"}


def markdown_html(text: str) -> Markup:
    return Markup(nh3.clean(markdown.markdown(text or ""), tags=TAGS))  # noqa: S704 (sanitised just above)
