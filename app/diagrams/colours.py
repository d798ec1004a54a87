"""Colours a modeler saved on a shape or flow (bpmn-js `bioc:`, the OMG `color:` extension), checked before use."""

import re
from dataclasses import dataclass

from .text import INK, PAPER

BIOC = "http://bpmn.io/schema/bpmn/biocolor/1.0"
COLOR = "http://www.omg.org/spec/BPMN/non-normative/color/1.0"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"

# CSS named colours; anything else a file says is ignored, so a value can never carry markup or CSS.
NAMED = set(
    """aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown burlywood
    cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray
    darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen
    darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey dodgerblue
    firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew
    hotpink indianred indigo ivory khaki lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan
    lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue
    lightslategray lightslategrey lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine
    mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen mediumturquoise
    mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive olivedrab orange
    orangered orchid palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum
    powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna
    silver skyblue slateblue slategray slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet
    wheat white whitesmoke yellow yellowgreen""".split()
)
HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
CHANNEL = r"\s*(?:25[0-5]|2[0-4]\d|1?\d?\d|(?:100|\d?\d)(?:\.\d+)?%)\s*"
RGB = re.compile(rf"rgb\({CHANNEL},{CHANNEL},{CHANNEL}\)")


def colour(value: str | None) -> str | None:
    """`value` when it is a colour we accept (#rgb, #rrggbb, rgb(…) or a CSS name), else None."""
    if value is None:
        return None
    value = value.strip().lower()
    return value if HEX.fullmatch(value) or RGB.fullmatch(value) or value in NAMED else None


@dataclass(frozen=True)
class Colours:
    fill: str | None = None
    stroke: str | None = None
    label: str | None = None

    def __bool__(self) -> bool:
        return bool(self.fill or self.stroke or self.label)

    @property
    def text(self) -> str | None:
        """A name's colour: the label's own, else the outline's, as bpmn-js does."""
        return self.label or self.stroke


def colours_of(di) -> Colours:
    """The colours saved on a BPMNShape or BPMNEdge; the OMG attributes win over bpmn.io's, as in bpmn-js."""
    if di is None:
        return Colours()
    label = di.find(f"{{{BPMNDI}}}BPMNLabel")
    return Colours(
        fill=colour(di.get(f"{{{COLOR}}}background-color")) or colour(di.get(f"{{{BIOC}}}fill")),
        stroke=colour(di.get(f"{{{COLOR}}}border-color")) or colour(di.get(f"{{{BIOC}}}stroke")),
        label=colour(label.get(f"{{{COLOR}}}color")) if label is not None else None,
    )


def paint(g, colours: Colours):
    """Recolour what was drawn in the default ink and paper: outlines and dark parts take the stroke colour,
    white parts the fill colour, text the label colour."""
    if not colours:
        return
    for node in g.iter():
        if not isinstance(node.tag, str) or node.tag.endswith("}title"):
            continue
        if node.tag.endswith("}text"):
            if colours.text:
                node.set("fill", colours.text)
            continue
        if colours.stroke and node.get("stroke") == INK:
            node.set("stroke", colours.stroke)
        fill = node.get("fill")
        if colours.stroke and fill == INK:
            node.set("fill", colours.stroke)
        elif colours.fill and fill == PAPER:
            node.set("fill", colours.fill)
