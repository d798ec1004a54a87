/* Camunda Forms rendered by app/camunda_forms: re-evaluate `conditional.hide` (data-cf-hide) as the user types.
 * Same FEEL subset and semantics as app/camunda_forms/feel.py; same order as visibility.py (document order,
 * a hidden component hides what it holds, and its value leaves the data later conditions see).
 * Hiding never clears an input: it is only out of sight, its constraints parked as data-cf-* attributes
 * so that the browser does not refuse to submit a field nobody can see. The server decides again anyway. */
(function () {
  "use strict";

  // ---------------------------------------------------------------------------------------------- FEEL
  var FUNCTIONS = [
    [["is", "defined"], 1], [["string", "length"], 1], [["list", "contains"], 2], [["starts", "with"], 2],
    [["ends", "with"], 2], [["not"], 1], [["count"], 1], [["contains"], 2]
  ];
  var SYMBOLS = ["!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ",", "."];
  var COMPARISONS = ["=", "!=", "<", "<=", ">", ">="];
  var KEYWORDS = { "true": true, "false": false, "null": null };

  function FeelError(message) { this.message = message; }

  function isAlpha(ch) { return /[A-Za-z_?$\u00C0-\u024F\u1E00-\u1EFF]/.test(ch); }
  function isAlnum(ch) { return isAlpha(ch) || /[0-9]/.test(ch); }
  function isDigit(ch) { return ch >= "0" && ch <= "9"; }

  function tokenize(src) {
    var tokens = [], i = 0;
    while (i < src.length) {
      var ch = src[i];
      if (/\s/.test(ch)) { i++; continue; }
      if (isDigit(ch) || (ch === "." && isDigit(src[i + 1] || ""))) {
        var start = i;
        while (i < src.length && isDigit(src[i])) i++;
        if (src[i] === "." && isDigit(src[i + 1] || "")) { i++; while (i < src.length && isDigit(src[i])) i++; }
        tokens.push({ kind: "number", text: src.slice(start, i), value: Number(src.slice(start, i)) });
        continue;
      }
      if (ch === '"') {
        var out = "", j = i + 1, closed = false;
        var escapes = { '"': '"', "\\": "\\", n: "\n", t: "\t", r: "\r", "'": "'" };
        while (j < src.length) {
          if (src[j] === '"') { closed = true; j++; break; }
          if (src[j] === "\\" && j + 1 < src.length) { out += escapes[src[j + 1]] || src[j + 1]; j += 2; continue; }
          out += src[j++];
        }
        if (!closed) throw new FeelError("unterminated string");
        tokens.push({ kind: "string", text: src.slice(i, j), value: out });
        i = j;
        continue;
      }
      if (isAlpha(ch)) {
        var s = i;
        while (i < src.length && isAlnum(src[i])) i++;
        tokens.push({ kind: "name", text: src.slice(s, i), value: src.slice(s, i) });
        continue;
      }
      var sym = null;
      for (var k = 0; k < SYMBOLS.length; k++) if (src.substr(i, SYMBOLS[k].length) === SYMBOLS[k]) { sym = SYMBOLS[k]; break; }
      if (sym === null) throw new FeelError("unexpected character " + ch);
      tokens.push({ kind: "symbol", text: sym, value: sym });
      i += sym.length;
    }
    tokens.push({ kind: "end", text: "" });
    return tokens;
  }

  function parse(src) {
    var tokens = tokenize(src), pos = 0;
    function tok() { return tokens[pos]; }
    function isSym() { var t = tok(); return t.kind === "symbol" && Array.prototype.indexOf.call(arguments, t.text) >= 0; }
    function isWord(w) { return tok().kind === "name" && tok().text === w; }
    function expect(sym) { if (!isSym(sym)) throw new FeelError("expected " + sym); pos++; }

    function disjunction() { var n = conjunction(); while (isWord("or")) { pos++; n = ["or", n, conjunction()]; } return n; }
    function conjunction() { var n = comparison(); while (isWord("and")) { pos++; n = ["and", n, comparison()]; } return n; }
    function comparison() {
      var n = additive();
      if (isSym.apply(null, COMPARISONS)) {
        var op = tokens[pos++].text;
        n = ["bin", op, n, additive()];
        if (isSym.apply(null, COMPARISONS)) throw new FeelError("comparisons cannot be chained");
      }
      return n;
    }
    function additive() { var n = multiplicative(); while (isSym("+", "-")) { var op = tokens[pos++].text; n = ["bin", op, n, multiplicative()]; } return n; }
    function multiplicative() { var n = unary(); while (isSym("*", "/")) { var op = tokens[pos++].text; n = ["bin", op, n, unary()]; } return n; }
    function unary() { if (isSym("-")) { pos++; return ["neg", unary()]; } return postfix(); }
    function postfix() {
      var n = primary();
      while (isSym(".")) {
        pos++;
        if (tok().kind !== "name" || tok().text in KEYWORDS) throw new FeelError("expected a name after '.'");
        n = ["path", n, tokens[pos++].text];
      }
      return n;
    }
    function args(name, arity) {
      expect("(");
      var list = [];
      if (!isSym(")")) { list.push(disjunction()); while (isSym(",")) { pos++; list.push(disjunction()); } }
      expect(")");
      if (list.length !== arity) throw new FeelError(name + "() takes " + arity + " argument(s)");
      return list;
    }
    function wordsThenParen(words) {
      for (var w = 0; w < words.length; w++) {
        var t = tokens[pos + w];
        if (!t || t.kind !== "name" || t.text !== words[w]) return false;
      }
      var after = tokens[pos + words.length];
      return after && after.kind === "symbol" && after.text === "(";
    }
    function primary() {
      var t = tok();
      if (t.kind === "number" || t.kind === "string") { pos++; return ["lit", t.value]; }
      if (isSym("(")) { pos++; var inner = disjunction(); expect(")"); return inner; }
      if (isSym("[")) {
        pos++;
        var items = [];
        if (!isSym("]")) { items.push(disjunction()); while (isSym(",")) { pos++; items.push(disjunction()); } }
        expect("]");
        return ["list", items];
      }
      if (t.kind === "name") {
        for (var f = 0; f < FUNCTIONS.length; f++) {
          var words = FUNCTIONS[f][0];
          if (wordsThenParen(words)) { pos += words.length; return ["call", words.join(" "), args(words.join(" "), FUNCTIONS[f][1])]; }
        }
        if (t.text === "and" || t.text === "or") throw new FeelError("expected a value");
        pos++;
        if (t.text in KEYWORDS) return ["lit", KEYWORDS[t.text]];
        if (isSym("(")) throw new FeelError("unknown function " + t.text);
        return ["name", t.text];
      }
      throw new FeelError("expected a value");
    }
    if (tok().kind === "end") throw new FeelError("empty expression");
    var tree = disjunction();
    if (tok().kind !== "end") throw new FeelError("unexpected input");
    return tree;
  }

  function kind(v) {
    if (v === null || v === undefined) return "null";
    if (typeof v === "boolean") return "boolean";
    if (typeof v === "number") return isFinite(v) ? "number" : null;
    if (typeof v === "string") return "string";
    if (Array.isArray(v)) return "list";
    if (typeof v === "object") return "context";
    return null;
  }

  function deepEqual(a, b) {
    if (Array.isArray(a)) {
      if (!Array.isArray(b) || a.length !== b.length) return false;
      for (var i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
      return true;
    }
    if (a && typeof a === "object") {
      if (!b || typeof b !== "object" || Array.isArray(b)) return false;
      var ka = Object.keys(a), kb = Object.keys(b);
      if (ka.length !== kb.length) return false;
      for (var k = 0; k < ka.length; k++) if (!deepEqual(a[ka[k]], b[ka[k]])) return false;
      return true;
    }
    return a === b;
  }

  function equal(a, b) {
    var ka = kind(a), kb = kind(b);
    if (ka === "null" || kb === "null") return ka === kb;
    if (ka !== kb || ka === null) return null;
    return deepEqual(a, b);
  }

  function compare(op, a, b) {
    if (op === "=" || op === "!=") { var e = equal(a, b); return e === null ? null : (op === "=" ? e : !e); }
    var k = kind(a);
    if (k !== kind(b) || (k !== "number" && k !== "string")) return null;
    return { "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b }[op];
  }

  function arithmetic(op, a, b) {
    if (op === "+" && typeof a === "string" && typeof b === "string") return a + b;
    if (kind(a) !== "number" || kind(b) !== "number") return null;
    if (op === "+") return a + b;
    if (op === "-") return a - b;
    if (op === "*") return a * b;
    return b === 0 ? null : a / b;
  }

  function logic(op, left, right) {
    var a = typeof left === "boolean" ? left : null, b = typeof right === "boolean" ? right : null;
    if (op === "and") { if (a === false || b === false) return false; return a === true && b === true ? true : null; }
    if (a === true || b === true) return true;
    return a === false && b === false ? false : null;
  }

  function call(name, a) {
    switch (name) {
      case "not": return typeof a[0] === "boolean" ? !a[0] : null;
      case "is defined": return a[0] !== null && a[0] !== undefined;
      case "string length": return typeof a[0] === "string" ? Array.from(a[0]).length : null;
      case "count": return Array.isArray(a[0]) ? a[0].length : null;
      case "list contains":
        if (!Array.isArray(a[0])) return null;
        for (var i = 0; i < a[0].length; i++) if (equal(a[0][i], a[1]) === true) return true;
        return false;
    }
    if (typeof a[0] !== "string" || typeof a[1] !== "string") return null;
    if (name === "contains") return a[0].indexOf(a[1]) >= 0;
    if (name === "starts with") return a[0].slice(0, a[1].length) === a[1];
    return a[1].length === 0 || a[0].slice(-a[1].length) === a[1];
  }

  function own(obj, key) { return obj && typeof obj === "object" && !Array.isArray(obj) && Object.prototype.hasOwnProperty.call(obj, key); }

  function evaluate(node, data) {
    switch (node[0]) {
      case "lit": return node[1];
      case "name": return own(data, node[1]) ? data[node[1]] : null;
      case "path": var base = evaluate(node[1], data); return own(base, node[2]) ? base[node[2]] : null;
      case "list": return node[1].map(function (n) { return evaluate(n, data); });
      case "neg": var v = evaluate(node[1], data); return kind(v) === "number" ? -v : null;
      case "and": case "or": return logic(node[0], evaluate(node[1], data), evaluate(node[2], data));
      case "call": return call(node[1], node[2].map(function (n) { return evaluate(n, data); }));
    }
    var l = evaluate(node[2], data), r = evaluate(node[3], data);
    return COMPARISONS.indexOf(node[1]) >= 0 ? compare(node[1], l, r) : arithmetic(node[1], l, r);
  }

  var parsed = {};
  function hides(expression, data) {
    if (expression === "=true") return true;
    try {
      var body = expression.replace(/^\s*=/, "");
      if (!(body in parsed)) parsed[body] = parse(body);
      return evaluate(parsed[body], data) === true;
    } catch (e) {
      if (e instanceof FeelError) return false;
      throw e;
    }
  }

  // ---------------------------------------------------------------------------------------------- values
  function setPath(data, key, value) {
    var parts = key.split("."), node = data;
    for (var i = 0; i < parts.length - 1; i++) {
      if (!own(node, parts[i]) || typeof node[parts[i]] !== "object" || node[parts[i]] === null) node[parts[i]] = {};
      node = node[parts[i]];
    }
    node[parts[parts.length - 1]] = value;
  }

  function deletePath(data, key) {
    var parts = key.split("."), node = data;
    for (var i = 0; i < parts.length - 1; i++) { node = own(node, parts[i]) ? node[parts[i]] : null; }
    if (node && typeof node === "object") delete node[parts[parts.length - 1]];
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // The stored form of a time/datetime (datetimes.py): local + offset, UTC with Z, or as typed.
  function serialized(subtype, format, text, offset) {
    if (!text || subtype === "date" || format === "no_timezone") return text;
    if (format === "utc_offset") return text + offset;
    var day = subtype === "time" ? new Date().toISOString().slice(0, 10) + "T" : "";
    var moment = new Date(day + text + offset);
    if (isNaN(moment.getTime())) return text;
    var hhmm = pad(moment.getUTCHours()) + ":" + pad(moment.getUTCMinutes());
    if (subtype === "time") return hhmm + "Z";
    return moment.getUTCFullYear() + "-" + pad(moment.getUTCMonth() + 1) + "-" + pad(moment.getUTCDate()) + "T" + hhmm + "Z";
  }

  function fieldValue(wrapper, offset) {
    var type = wrapper.getAttribute("data-cf-type"), key = wrapper.getAttribute("data-cf-key");
    var controls = Array.prototype.filter.call(wrapper.querySelectorAll("input, select, textarea"), function (el) {
      return el.name === key;
    });
    if (!controls.length || type === "filepicker") return null;
    var first = controls[0];
    if (type === "checkbox") return first.checked;
    if (type === "checklist") return controls.filter(function (el) { return el.checked; }).map(function (el) { return el.value; });
    if (type === "taglist") return Array.prototype.filter.call(first.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
    if (type === "radio") { var on = controls.filter(function (el) { return el.checked; })[0]; return on ? on.value : null; }
    var text = (first.value || "").trim();
    if (text === "") return null;
    if (type === "number") { var n = Number(text); return isFinite(n) ? n : null; }
    if (type === "datetime") {
      return serialized(wrapper.getAttribute("data-cf-subtype"), wrapper.getAttribute("data-cf-format"), text, offset);
    }
    return text;
  }

  // ---------------------------------------------------------------------------------------------- visibility
  var CONSTRAINTS = ["required", "min", "max", "minlength", "maxlength", "step"];

  function park(control, active) {
    CONSTRAINTS.forEach(function (name) {
      var parked = "data-cf-" + name;
      if (active && control.hasAttribute(parked)) {
        control.setAttribute(name, control.getAttribute(parked));
        control.removeAttribute(parked);
      } else if (!active && control.hasAttribute(name)) {
        control.setAttribute(parked, control.getAttribute(name));
        control.removeAttribute(name);
      }
    });
  }

  function refresh(root) {
    var offset = root.getAttribute("data-cf-offset") || "";
    var data = {};
    try { data = JSON.parse(root.getAttribute("data-cf-context") || "{}") || {}; } catch (e) { data = {}; }
    var fields = root.querySelectorAll(".cf-component[data-cf-key]");
    Array.prototype.forEach.call(fields, function (wrapper) {
      if (wrapper.getAttribute("data-cf-type") === "filepicker") return;
      setPath(data, wrapper.getAttribute("data-cf-key"), fieldValue(wrapper, offset));
    });
    var hidden = [];
    Array.prototype.forEach.call(root.querySelectorAll(".cf-component"), function (wrapper) {
      var insideHidden = hidden.some(function (h) { return h.contains(wrapper); });
      var expression = wrapper.getAttribute("data-cf-hide");
      var hide = insideHidden || (expression !== null && hides(expression, data));
      if (hide) {
        hidden.push(wrapper);
        if (wrapper.hasAttribute("data-cf-key")) deletePath(data, wrapper.getAttribute("data-cf-key"));
      }
      wrapper.hidden = hide;
    });
    Array.prototype.forEach.call(root.querySelectorAll("input, select, textarea"), function (control) {
      park(control, !control.closest(".cf-component[hidden]"));
    });
  }

  // The Content-Security-Policy ignores inline style attributes; a spacer gets its height through the CSSOM.
  function sizeSpacers(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".cf-spacer[style]"), function (spacer) {
      var height = /height:\s*(\d+)px/.exec(spacer.getAttribute("style"));
      if (height) spacer.style.height = height[1] + "px";
    });
  }

  function start(root) {
    sizeSpacers(root);
    refresh(root);
    root.addEventListener("input", function () { refresh(root); });
    root.addEventListener("change", function () { refresh(root); });
  }

  window.CamundaForms = { parse: parse, evaluate: evaluate, hides: hides, refresh: refresh };
  function init() { Array.prototype.forEach.call(document.querySelectorAll(".camunda-form"), start); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
