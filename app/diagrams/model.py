"""Read a BPMN file's diagram interchange (DI) into plain shapes and edges, one plane per BPMNDiagram."""

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from app.engine.xml_safety import XmlProblem, parse_xml

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"


class DiagramError(ValueError):
    """A file that cannot be drawn, with the file name and line of the problem when known."""

    def __init__(self, file: str, message: str, line: int | None = None):
        self.file, self.message, self.line = file, message, line
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")


@dataclass(frozen=True)
class Bounds:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2


@dataclass
class Shape:
    id: str
    kind: str
    element: etree._Element
    bounds: Bounds
    di: etree._Element
    label: Bounds | None = None


@dataclass
class Edge:
    id: str
    kind: str
    element: etree._Element
    points: list[tuple[float, float]]
    label: Bounds | None = None
    di: etree._Element | None = None


@dataclass
class Plane:
    id: str
    name: str
    shapes: list[Shape] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)


def local(element) -> str:
    return etree.QName(element).localname


def bpmn(element, name: str) -> list:
    """Direct BPMN children of `element` called `name`."""
    return element.findall(f"{{{BPMN}}}{name}")


class Document:
    """The semantic model of one file, indexed by id, and its diagrams; `names` translates the names it shows (a
    name's white space collapsed, as the catalogue keeps it); a name without a translation is shown as written."""

    def __init__(self, data: bytes, file_name: str, names: Callable[[str], str] | None = None):
        self.file_name, self.names = file_name, names
        try:
            self.root = parse_xml(data, file_name)
        except XmlProblem as problem:
            raise DiagramError(problem.file, problem.message, problem.line) from None
        if self.root.tag != f"{{{BPMN}}}definitions":
            raise DiagramError(
                file_name, f"not a BPMN 2.0 file: the root element is <{self.root.tag}>", self.root.sourceline
            )
        # Only BPMN-namespace elements carry model ids; extension elements may reuse id values.
        self.by_id = {}
        for element in self.root.iter(f"{{{BPMN}}}*"):
            if element.get("id"):
                self.by_id.setdefault(element.get("id"), element)

    def ref(self, value: str | None):
        """The element a reference names: its id, or a QName ("bpmn2:Task_1") whose local part is the id."""
        value = (value or "").strip()
        found = self.by_id.get(value)
        if found is None and ":" in value:
            # GenMyModel and others write references as QNames of the target namespace.
            found = self.by_id.get(value.rsplit(":", 1)[1])
        return found

    def children(self, element) -> list:
        """What an open activity holds on a plane: a sub-process's own elements, a call activity's called process's."""
        if local(element) == "callActivity":
            called = self.ref(element.get("calledElement"))
            if called is None or local(called) != "process":
                return []
            element = called
        return [child for child in element if isinstance(child.tag, str) and child.get("id")]

    def name(self, element) -> str:
        """The text a reader knows the element by (its name, an annotation's text, a group's category value), in
        the language of `names`."""
        return self.shown(self._written_name(element))

    def shown(self, text: str) -> str:
        """A name as drawn: its translation when `names` has one, else as the file writes it."""
        key = " ".join(text.split())
        if self.names is None or not key:  # never look up "": a catalogue answers it with its header
            return text
        translated = self.names(key)
        return translated if translated and translated != key else text

    def _written_name(self, element) -> str:
        kind = local(element)
        if kind == "textAnnotation":
            text = element.find(f"{{{BPMN}}}text")
            return (text.text or "") if text is not None else ""
        if kind == "group":
            value = self.ref(element.get("categoryValueRef"))
            return (value.get("value") or "") if value is not None else ""
        if kind == "dataObjectReference" and not element.get("name"):
            target = self.ref(element.get("dataObjectRef"))
            return (target.get("name") or "") if target is not None else ""
        return element.get("name") or ""

    def _title(self, subject) -> str:
        """A plane's subject name; an unnamed collaboration is known by its pools."""
        if self.name(subject) or local(subject) != "collaboration":
            return self.name(subject)
        return " / ".join(name for name in map(self.name, bpmn(subject, "participant")) if name)

    def planes(self) -> list[Plane]:
        """Every diagram's plane; DiagramError when there are diagrams but none of them draws anything."""
        planes = [self._plane(diagram) for diagram in self.root.iter(f"{{{BPMNDI}}}BPMNDiagram")]
        if planes and not any(plane.shapes or plane.edges for plane in planes):
            self._nothing_drawn()
        return planes

    def _nothing_drawn(self):
        layout = list(self.root.iter(f"{{{BPMNDI}}}BPMNShape", f"{{{BPMNDI}}}BPMNEdge"))
        if not layout:
            raise DiagramError(self.file_name, "nothing to draw: its diagrams lay out no element")
        first = layout[0]
        raise DiagramError(
            self.file_name,
            f"nothing to draw: none of the {len(layout)} diagram elements refers to an element of the model"
            f" (e.g. bpmnElement={first.get('bpmnElement', '')!r})",
            first.sourceline,
        )

    def _plane(self, diagram) -> Plane:
        plane_di = diagram.find(f"{{{BPMNDI}}}BPMNPlane")
        subject = self.ref(plane_di.get("bpmnElement")) if plane_di is not None else None
        name = self.shown(diagram.get("name") or "") or (self._title(subject) if subject is not None else "")
        name = name or diagram.get("id") or ""
        plane = Plane(diagram.get("id") or "", name)
        if plane_di is None:
            return plane
        for di in plane_di.iter(f"{{{BPMNDI}}}BPMNShape", f"{{{BPMNDI}}}BPMNEdge"):
            element = self.ref(di.get("bpmnElement"))
            # DI for an element the model lacks cannot be named or typed: not drawn (validation reports it).
            if element is None:
                continue
            label = self._label(di)
            if local(di) == "BPMNShape":
                bounds = self._bounds(di.find(f"{{{DC}}}Bounds"), di)
                plane.shapes.append(Shape(element.get("id"), local(element), element, bounds, di, label))
            else:
                points = [self._point(p) for p in di.findall(f"{{{DI}}}waypoint")]
                if len(points) >= 2:
                    plane.edges.append(Edge(element.get("id"), local(element), element, points, label, di))
        return plane

    def _label(self, di) -> Bounds | None:
        label = di.find(f"{{{BPMNDI}}}BPMNLabel")
        found = label.find(f"{{{DC}}}Bounds") if label is not None else None
        return self._bounds(found, label) if found is not None else None

    def _bounds(self, bounds, owner) -> Bounds:
        if bounds is None:
            raise DiagramError(
                self.file_name, f"{local(owner)} {owner.get('id', '')} has no dc:Bounds", owner.sourceline
            )
        x, y, w, h = (self._number(bounds, name) for name in ("x", "y", "width", "height"))
        return Bounds(x, y, max(w, 0.0), max(h, 0.0))

    def _point(self, waypoint) -> tuple[float, float]:
        return self._number(waypoint, "x"), self._number(waypoint, "y")

    def _number(self, element, attribute: str) -> float:
        value = element.get(attribute)
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = float("nan")
        # NaN/inf would poison the viewBox; the DI is broken, so say where.
        if number != number or number in (float("inf"), float("-inf")):
            raise DiagramError(
                self.file_name, f"{local(element)}: {attribute}={value!r} is not a number", element.sourceline
            )
        return number
