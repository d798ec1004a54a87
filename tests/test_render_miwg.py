"""The BPMN MIWG reference models drawn as their DI and reference pictures say (tests/fixtures/external/miwg)."""

import re
import struct
from pathlib import Path

import pytest
from lxml import etree

import run
from app.diagrams import render_diagrams
from app.engine.deployment import DeploymentRefused, deploy
from app.engine.validation import validate_documents
from app.petitions.catalog import STATUSES

MIWG = Path(__file__).parent / "fixtures" / "external" / "miwg"
FILES = sorted(MIWG.glob("**/*.bpmn"))
SVG = "http://www.w3.org/2000/svg"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
COLOR = "http://www.omg.org/spec/BPMN/non-normative/color/1.0"
BIOC = "http://bpmn.io/schema/bpmn/biocolor/1.0"
OPENABLE = {"subProcess", "transaction", "adHocSubProcess", "callActivity"}
PAGE_PICTURES = {"A.2.1", "C.1.1"}  # whole pages with a logo: their aspect ratio is the page's, not the diagram's
MARGIN = 20  # what the renderer adds around the drawing


def local(node) -> str:
    return etree.QName(node).localname


class Reference:
    """One fixture read independently of the renderer: its elements, DI shapes and edges per diagram."""

    def __init__(self, path: Path):
        self.name = path.stem
        self.root = etree.parse(str(path)).getroot()
        self.by_id = {e.get("id"): e for e in self.root.iter(f"{{{BPMN}}}*") if e.get("id")}
        self.diagrams = list(self.root.iter(f"{{{BPMNDI}}}BPMNDiagram"))
        self.svgs = [etree.fromstring(d.svg.encode()) for d in render_diagrams(path.read_bytes())]
        png = path.with_suffix(".png").read_bytes()
        assert png[12:16] == b"IHDR"
        self.png_size = struct.unpack(">II", png[16:24])

    def element(self, reference: str):
        # QName references ("bpmn2:Task_1") name the id after the prefix.
        found = self.by_id.get(reference)
        return found if found is not None else self.by_id.get(reference.rsplit(":", 1)[-1])

    def shapes(self):
        """(svg root, DI shape, element, (x, y, w, h)) for every DI shape of every diagram."""
        for diagram, svg in zip(self.diagrams, self.svgs, strict=True):
            for di in diagram.iter(f"{{{BPMNDI}}}BPMNShape"):
                element = self.element(di.get("bpmnElement", ""))
                bounds = di.find(f"{{{DC}}}Bounds")
                box = tuple(float(bounds.get(k)) for k in ("x", "y", "width", "height"))
                yield svg, di, element, box


@pytest.fixture(scope="module", params=FILES, ids=lambda p: str(p.relative_to(MIWG)))
def ref(request) -> Reference:
    return Reference(request.param)


def groups(svg) -> dict:
    return {g.get("data-element-id"): g for g in svg.iter(f"{{{SVG}}}g") if g.get("data-element-id")}


def body_bounds(g) -> tuple[float, float, float, float]:
    """The outline of a drawn element (its .bpmn-body), measured from the SVG geometry."""
    body = next(n for n in g.iter() if "bpmn-body" in (n.get("class") or "").split())
    tag = local(body)
    if tag == "rect":
        return tuple(float(body.get(k)) for k in ("x", "y", "width", "height"))
    if tag == "circle":
        cx, cy, r = (float(body.get(k)) for k in ("cx", "cy", "r"))
        return cx - r, cy - r, 2 * r, 2 * r
    xs, ys = _outline_points(body.get("points") if tag == "polygon" else body.get("d"), tag)
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


def _outline_points(data: str, tag: str):
    """Extreme x and y values of a polygon or of a path made of M/L/H/V/Z and half-ellipse A segments."""
    if tag == "polygon":
        pairs = [tuple(map(float, p.split(","))) for p in data.split()]
        return [p[0] for p in pairs], [p[1] for p in pairs]
    xs, ys, x, y = [], [], 0.0, 0.0
    for command, args in re.findall(r"([MLHVAZ])([^MLHVAZ]*)", data):
        values = [float(v) for v in re.findall(r"-?[\d.]+", args)]
        if command in "ML":
            x, y = values[-2:]
        elif command == "H":
            x = values[-1]
        elif command == "V":
            y = values[-1]
        elif command == "A":
            ry, x, y = values[1], values[-2], values[-1]
            ys.extend((y - ry, y + ry))  # a half ellipse between two points at the same height
        xs.append(x)
        ys.append(y)
    return xs, ys


def written_words(svg, element_id: str) -> list[str]:
    """The words of every text drawn for an element: inside its group and in its external label."""
    spans = [
        span.text or ""
        for g in svg.iter(f"{{{SVG}}}g")
        if element_id in (g.get("data-element-id"), g.get("data-label-for"))
        for text in g.findall(f"{{{SVG}}}text")
        for span in text.iter(f"{{{SVG}}}tspan")
    ]
    return " ".join(spans).split()


def test_every_shape_is_drawn_at_its_di_bounds(ref):
    checked = 0
    for svg, di, element, box in ref.shapes():
        assert element is not None, di.get("bpmnElement")
        g = groups(svg)[element.get("id")]
        assert local(element) in g.get("class").split()
        drawn = body_bounds(g)
        assert all(abs(a - b) <= 1 for a, b in zip(drawn, box, strict=True)), (element.get("id"), drawn, box)
        checked += 1
    assert checked >= 5


def test_every_flow_node_name_is_written_in_whole_words_without_ellipsis(ref):
    named = 0
    for svg, _, element, _ in ref.shapes():
        name = element.get("name") or ""
        if not name.strip() or local(element) in ("participant", "lane"):
            continue
        words = written_words(svg, element.get("id"))
        assert words == name.split(), (element.get("id"), words)
        named += 1
    assert named >= 3
    assert all("…" not in "".join(svg.itertext()) for svg in ref.svgs)


def test_saved_colours_are_drawn(ref):
    for svg, di, element, _ in ref.shapes():
        fill = di.get(f"{{{COLOR}}}background-color") or di.get(f"{{{BIOC}}}fill")
        stroke = di.get(f"{{{COLOR}}}border-color") or di.get(f"{{{BIOC}}}stroke")
        g = groups(svg)[element.get("id")]
        body = next(n for n in g.iter() if "bpmn-body" in (n.get("class") or "").split())
        if fill and body.get("fill") != "none":
            assert body.get("fill") == fill.lower(), element.get("id")
        if stroke:
            assert body.get("stroke") == stroke.lower(), element.get("id")
        label = di.find(f"{{{BPMNDI}}}BPMNLabel")
        colour = label.get(f"{{{COLOR}}}color") if label is not None else None
        if colour and (element.get("name") or "").strip() and local(element) not in ("participant", "lane"):
            texts = [t for t in svg.iter(f"{{{SVG}}}text") if element.get("id") in _owners(t)]
            assert texts and all(t.get("fill") == colour.lower() for t in texts), element.get("id")


def _owners(text) -> set:
    g = text.getparent()
    return {g.get("data-element-id"), g.get("data-label-for")}


def test_the_coloured_references_are_checked():
    coloured = [p.stem for p in FILES if b"color:background-color" in p.read_bytes()]
    assert {"A.2.1", "C.1.0", "C.3.0", "C.7.0"} <= set(coloured)


def test_open_activities_hold_their_children_drawn_after_them(ref):
    shaped = {element.get("id") for _, _, element, _ in ref.shapes()}
    for svg, di, element, box in ref.shapes():
        if local(element) not in OPENABLE or di.get("isExpanded") != "true":
            continue
        found = groups(svg)
        order = list(found)
        held = element
        if local(element) == "callActivity":
            held = ref.element(element.get("calledElement", ""))
        children = [c.get("id") for c in held if isinstance(c.tag, str) and c.get("id") in shaped & set(found)]
        assert children, element.get("id")
        assert not _plus(found[element.get("id")]), element.get("id")  # open: no [+] marker
        x, y, w, h = box
        for child in children:
            cx, cy, cw, ch = body_bounds(found[child])
            assert x - 1 <= cx and cx + cw <= x + w + 1 and y - 1 <= cy and cy + ch <= y + h + 1, child
            assert order.index(child) > order.index(element.get("id")), child


def _plus(g) -> bool:
    return any(r.get("width") == "13" for r in g.iter(f"{{{SVG}}}rect"))


def test_expanded_activities_of_b_models_are_open():
    opened = []
    for name in ("B.1.0", "B.2.0"):
        ref = Reference(MIWG / f"{name}.bpmn")
        for svg, di, element, _ in ref.shapes():
            if di.get("isExpanded") == "true" and local(element) in OPENABLE:
                assert not _plus(groups(svg)[element.get("id")]), element.get("id")
                opened.append(local(element))
    assert opened.count("callActivity") == 2 and opened.count("subProcess") >= 4


def test_the_svg_holds_the_diagram_with_the_pictures_proportions(ref):
    (svg,) = ref.svgs
    left, top, width, height = map(float, svg.get("viewBox").split())
    xs, ys = [], []
    for _, _, _, (x, y, w, h) in ref.shapes():
        xs += [x, x + w]
        ys += [y, y + h]
    for point in ref.diagrams[0].iter(f"{{{DI}}}waypoint"):
        xs.append(float(point.get("x")))
        ys.append(float(point.get("y")))
    assert left <= min(xs) and top <= min(ys) and left + width >= max(xs) and top + height >= max(ys)
    assert (svg.get("width"), svg.get("height")) == tuple(svg.get("viewBox").split()[2:])
    if ref.name in PAGE_PICTURES:
        return
    # The picture's own margin is unknown (up to 30 px a side): its drawing's proportions lie in a range.
    png_w, png_h = ref.png_size
    low, high = (png_w - 60) / png_h, png_w / (png_h - 60)
    ours = (width - 2 * MARGIN) / (height - 2 * MARGIN)
    assert low * 0.95 <= ours <= high * 1.05, (ours, low, high)


def test_genmymodel_qname_references_are_drawn():
    path = MIWG / "GenMyModel-0.47" / "A.4.0-export.bpmn"
    assert b'bpmnElement="bpmn2:' in path.read_bytes()
    ref = Reference(path)
    drawn = groups(ref.svgs[0])
    assert {"Task 1", "Task 6", "Expanded Sub-Process 2"} <= {ref.by_id[i].get("name") for i in drawn}
    assert len(drawn) == sum(1 for _ in ref.diagrams[0].iter(f"{{{BPMNDI}}}BPMNShape", f"{{{BPMNDI}}}BPMNEdge"))


def test_cli_refuses_a_file_whose_diagram_draws_nothing(tmp_path, capsys):
    data = (MIWG / "A.1.0.bpmn").read_bytes()
    broken = tmp_path / "dangling.bpmn"
    broken.write_bytes(re.sub(rb'bpmnElement="', b'bpmnElement="gone-', data))
    assert run.main(["render", str(broken), "-o", str(tmp_path / "out.svg")]) == 1
    error = capsys.readouterr().err
    assert "nothing to draw" in error and "gone-" in error and str(broken) in error
    assert not (tmp_path / "out.svg").exists()


# Drawing models is not running them: what validate says of each reference, deploy says too (nothing crashes).
NOT_RUN = {  # file → (element, words of one of its refusals); None: not executable, nothing to deploy
    "A.1.0": None, "A.2.0": None, "A.3.0": None, "A.4.0": None, "A.4.1": None, "C.2.0": None,
    "A.2.1": ("_To9Z7TOCEeSknpIVFCxNIQ", "condition language 'http://www.w3.org/1999/XPath'"),
    "B.1.0": ("_f7eade87-bb98-47d3-85c7-66033a62b124", "user task names nobody"),
    "B.2.0": ("_c57a5344-213f-4834-a6c3-94ce878b413c", "user task names nobody"),
    "C.1.0": ("approveInvoice", "user task names nobody"),
    "C.1.1": ("approveInvoice", "user task names nobody"),
    "C.3.0": ("_c73a5f4a-72f1-4e11-bb40-2f98da75fb9a", "user task names nobody"),
    "C.7.0": ("_392c86ba-38b5-4dc9-b98d-f97ad4c2add5", "user task names nobody"),
    "A.1.0-export": ("_sSUQVB8nEeW9keBtFZy97Q", "a task without a type waits here for a person it cannot name"),
    "A.4.0-export": ("_BlnCSh89EeW9keBtFZy97Q", "a task without a type waits here for a person it cannot name"),
}  # fmt: skip


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_validate_and_deploy_agree_on_every_reference_refusing_by_name(session, path):
    documents = {path.name: path.read_bytes()}
    problems = validate_documents(documents, statuses=STATUSES)
    expected = NOT_RUN[path.stem]
    if expected is None:
        assert [p.nothing_to_deploy for p in problems] == [True]
    else:
        element, words = expected
        assert any(p.element == element and words in p.message for p in problems), "\n".join(map(str, problems))
    with pytest.raises(DeploymentRefused) as refused:
        deploy(session, documents, statuses=STATUSES)
    assert refused.value.problems == problems


def test_a_task_splitting_without_a_gateway_is_refused_by_name_not_with_the_parsers_half_sentence():
    path = MIWG / "GenMyModel-0.47" / "A.4.0-export.bpmn"
    text = path.read_text(encoding="utf-8").replace(
        'xmlns:bpmn2="', 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:bpmn2="', 1
    )
    text = text.replace("<bpmn2:task ", '<bpmn2:userTask camunda:candidateGroups="intake" ')
    text = text.replace("</bpmn2:task>", "</bpmn2:userTask>")
    (problem,) = validate_documents({path.name: text.encode()}, statuses=STATUSES)
    assert (problem.element, problem.line) == ("_BlnCSh89EeW9keBtFZy97Q", 45)
    assert problem.message.startswith("more than one outgoing flow from a task (an implicit split)")
    assert "tasks of type" not in problem.message
