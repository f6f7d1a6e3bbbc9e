"""Run WeasyPrint on editio's print.html, with nothing fetched.

Started by src/writers/pdf.ts with the Python interpreter that runs the `weasyprint`
command (so that it finds the same module). It imports WeasyPrint first, then reads one
JSON object on stdin (so the writer can start it early, while the page is still being
made, and hide the import's half second; a first line may name the text's languages, see
read_job):
  {"html": path, "out": path, "allow": dir, "base": dir,
   "variant": "pdf/a-3b" | "pdf/ua-1" | null, "attachments": [path], "identifier": hex,
   "epoch": seconds}
Resources may only be read from files inside "allow" (the source's folder): no network
and no file elsewhere. WeasyPrint's warnings are printed on stdout as one JSON list,
[{"level", "message"}], for the writer to turn into diagnostics.

The index of names (print.xsl's section.name-index, the last thing in the book) gives
its page numbers with target-counter(), which any Paged Media engine can resolve. With
WeasyPrint 53 to 58 this runner does better: it typesets the book without the index,
reads the page of every occurrence from the laid-out pages, and then typesets the index
alone, numbered on from there, with each page written once and in order ("4, 5, 5n"
rather than "4, 4, 4, 5, 5n, 5"); the two sets of pages make one PDF. This also spares
WeasyPrint's re-layout of pages whose target-counter() values arrive late (three passes
over the index pages): measured on the flagship, 1.8-2.5 s instead of 2.7-3.3 s. When the
page does not have that shape, and for PDF/UA (whose tags come from one element tree), the
whole page is typeset as it is.
"""
import inspect
import json
import logging
import os
import re
import sys
import xml.etree.ElementTree as ET
from urllib.parse import unquote, urlparse


XHTML = "{http://www.w3.org/1999/xhtml}"


def local(e):
    """An element's name without the XHTML namespace."""
    return e.tag[len(XHTML):] if e.tag.startswith(XHTML) else e.tag


def split_index(text):
    """print.html as (the book without its index, the index alone, where the index sits),
    or None when the page does not have the expected shape: one section.name-index, the
    last content of the body, and no page counter set by the stylesheet."""
    if text.count('<section class="name-index"') != 1 or re.search(r"counter-(reset|increment|set)\s*:[^;}]*\bpage\b", text):
        return None
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError:
        return None
    parent = {c: p for p in root.iter() for c in p}
    found = [e for e in root.iter(XHTML + "section") if e.get("class") == "name-index"]
    if len(found) != 1:
        return None
    index = found[0]
    chain = []  # the index's ancestors inside <body>, innermost first
    p = parent.get(index)
    while p is not None and p.tag != XHTML + "body":
        chain.append(p)
        p = parent.get(p)
    body = re.search(r"<body\b[^>]*>", text)
    if p is None or body is None or any(not e.tag.startswith(XHTML) for e in chain):
        return None
    closing = "".join("</%s>" % local(e) for e in chain) + "</body></html>"
    stripped = text.rstrip()
    start = text.find('<section class="name-index"')
    if not stripped.endswith("</section>" + closing):
        return None
    end = len(stripped) - len(closing)
    return text[:start] + text[end:], index, chain, text[: body.end()], closing


def index_page(head, index, chain, closing, pages, dummy):
    """The index alone, its occurrences given as literal page numbers (pages: anchor name
    to page number), each page once and in order; `dummy` puts a page before it (dropped
    afterwards) so that its first page falls on the same side as in the book."""
    for occ in index.iter(XHTML + "span"):
        if occ.get("class") != "index-occurrences":
            continue
        links = [a for a in occ if a.tag == XHTML + "a"]
        if not links or len(links) != len(occ):
            continue
        labels = {}
        for a in links:
            href = a.get("href") or ""
            n = pages.get(href[1:]) if href.startswith("#") else None
            if n is None:
                continue  # an occurrence that is on no page (hidden) has no number
            in_note = "index-in-note" in (a.get("class") or "").split()
            labels.setdefault((n, in_note), a)
        tail = links[-1].tail
        for a in links:
            occ.remove(a)
        kept = sorted(labels.items())
        for i, ((n, in_note), a) in enumerate(kept):
            a.text = "%d%s" % (n, "n" if in_note else "")
            a.tail = ", " if i < len(kept) - 1 else tail
            occ.append(a)
    for e in index.iter():
        e.tag = local(e)
    attr = lambda v: v.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    opening = "".join(
        "<%s%s>" % (local(e), "".join(' %s="%s"' % (k, attr(v)) for k, v in e.attrib.items()))
        for e in reversed(chain))
    return (head + opening + ('<div style="break-after: page"></div>' if dummy else "")
            + ET.tostring(index, encoding="unicode", short_empty_elements=False) + closing)


def read_job():
    """The job from stdin. The writer may send lines before it, {"warm": {"languages":
    [...]}}, the languages of the text, main one first: while the page is still being made,
    their hyphenation dictionaries are loaded (Pyphen keeps them for the whole process;
    en_US took 0.3-0.4 s of the flagship's layout), one at a time, and not once the job has
    come. (The job is one line of JSON without a newline, or "null".)"""
    import select
    fd = sys.stdin.fileno()
    data = b""
    warmed = False
    while True:
        while b"\n" not in data:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return json.loads(data.decode("utf-8") or "null")
            data += chunk
        first, _, rest = data.partition(b"\n")
        try:
            hint = json.loads(first.decode("utf-8"))
        except ValueError:
            hint = None
        if not (isinstance(hint, dict) and isinstance(hint.get("warm"), dict)):
            break
        data = rest
        if warmed:
            continue
        warmed = True
        import pyphen
        for lang in list(hint["warm"].get("languages") or [])[:4]:
            if data or select.select([fd], [], [], 0)[0]:
                break  # the job is here: it goes first
            try:
                known = isinstance(lang, str) and pyphen.language_fallback(lang.replace("-", "_"))
                if known:
                    pyphen.Pyphen(lang=known)
            except Exception:  # a hint only: the layout loads what it needs
                pass
    chunks = [data]
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    return json.loads(b"".join(chunks).decode("utf-8") or "null")


def main():
    import weasyprint
    from weasyprint import HTML, default_url_fetcher

    cfg = read_job()
    if cfg is None:  # the build stopped before it needed a PDF
        return
    # one date for the whole PDF; fontTools reads it when it saves the font subsets
    os.environ["SOURCE_DATE_EPOCH"] = str(int(cfg["epoch"]))
    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append({"level": record.levelname.lower(), "message": record.getMessage()})

    logger = logging.getLogger("weasyprint")
    logger.handlers[:] = [Collect(level=logging.WARNING)]
    logger.setLevel(logging.WARNING)
    logger.propagate = False

    allow = os.path.realpath(cfg["allow"])
    html_path = os.path.realpath(cfg["html"])

    def fetcher(url, *args, **kwargs):
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = os.path.realpath(unquote(parsed.path))
            if path == html_path or path.startswith(allow + os.sep):
                return default_url_fetcher(url, *args, **kwargs)
        raise ValueError("not fetched (editio reads no network resource and no file outside the source's folder): " + url)

    base = cfg["base"].rstrip(os.sep) + os.sep
    whole = []  # the page parsed as it is, once, by the path that needs it

    def whole_page():
        if not whole:
            whole.append(HTML(filename=cfg["html"], base_url=base, url_fetcher=fetcher))
        return whole[0]

    params = inspect.signature(HTML.write_pdf).parameters
    identifier = bytes.fromhex(cfg["identifier"]) if cfg.get("identifier") else None
    attachments = cfg.get("attachments") or None
    # Fonts are embedded whole, not subset: subsetting with fontTools was 40% of
    # WeasyPrint's time on the flagship (1.4 s of 3.4 s) for a constant ~0.5 MB saved.
    def render(stylesheets):
        """The laid-out pages (WeasyPrint 53 to 58), the index typeset apart when it can be."""
        # PDF/UA tags the PDF from one element tree: that variant is typeset whole
        parts = None
        if not str(cfg.get("variant") or "").startswith("pdf/ua"):
            with open(cfg["html"], encoding="utf-8") as f:
                parts = split_index(f.read())
        if parts is None:
            return whole_page().render(stylesheets=stylesheets, optimize_size=())
        book_text, index, chain, head, closing = parts
        book = HTML(string=book_text, base_url=base, url_fetcher=fetcher).render(
            stylesheets=stylesheets, optimize_size=())
        pages = {}
        for number, page in enumerate(book.pages, 1):
            for name in page.anchors:
                pages.setdefault(name, number)
        first = len(book.pages) + 1
        dummy = first % 2 == 0  # the index starts on a left page, as in the book
        numbering = weasyprint.CSS(string="@page :first { counter-reset: page %d }"
                                   " .index-occurrences a::after { content: none !important }"
                                   % (first - 1 if dummy else first))
        alone = HTML(string=index_page(head, index, chain, closing, pages, dummy),
                     base_url=base, url_fetcher=fetcher).render(
            stylesheets=(stylesheets or []) + [numbering], optimize_size=())
        return book.copy(book.pages + alone.pages[1 if dummy else 0:])

    def write(stylesheets):
        if "variant" in params:  # WeasyPrint 53 to 58
            render(stylesheets).write_pdf(cfg["out"], attachments=attachments,
                                          variant=cfg.get("variant"), identifier=identifier)
        else:  # WeasyPrint 59 and later take options
            options = dict(stylesheets=stylesheets, attachments=attachments,
                           pdf_variant=cfg.get("variant"), pdf_identifier=identifier)
            try:
                whole_page().write_pdf(cfg["out"], full_fonts=True, **options)
            except TypeError:
                whole_page().write_pdf(cfg["out"], **options)

    fallback = False
    try:
        write(None)
    except RecursionError:
        # "footnote-policy: line" (a note stays on the page of its call) can send
        # WeasyPrint into endless deferral when the notes of one line cannot fit on any
        # page; then its default placement is used, and the writer says so.
        fallback = True
        records = []
        write([weasyprint.CSS(string=".footnote { footnote-policy: auto !important; }")])
    print(json.dumps({"version": weasyprint.__version__, "messages": records, "fallback": fallback}))


if __name__ == "__main__":
    try:
        main()
    except Exception as err:  # reported by the writer as one clear error
        print(json.dumps({"error": "%s: %s" % (type(err).__name__, err)}))
        sys.exit(3)
