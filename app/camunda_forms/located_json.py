"""JSON decoding that remembers the line of every object, so that problems in a .form file name their line."""

import bisect
import json
from json.decoder import JSONObject
from json.scanner import py_make_scanner


class LocatedDict(dict):
    """A JSON object with the line (1-based) where its '{' stands."""

    line: int | None = None


def loads(text: str):
    """Like json.loads, objects as LocatedDict; raises json.JSONDecodeError (with lineno) on bad JSON."""
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]
    decoder = json.JSONDecoder()

    def parse_object(s_and_end, *args):
        obj, end = JSONObject(s_and_end, *args)
        located = LocatedDict(obj)
        located.line = bisect.bisect_left(newlines, s_and_end[1]) + 1
        return located, end

    # The C scanner ignores parse_object; the pure-Python one calls it for every object.
    decoder.parse_object = parse_object
    decoder.scan_once = py_make_scanner(decoder)
    return decoder.decode(text)
