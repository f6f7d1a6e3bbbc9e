"""Run WeasyPrint on editio's print.html, with nothing fetched.

Started by src/writers/pdf.ts with the Python interpreter that runs the `weasyprint`
command (so that it finds the same module). It imports WeasyPrint first, then reads one
JSON object on stdin (so the writer can start it early, while the page is still being
made, and hide the import's half second):
  {"html": path, "out": path, "allow": dir, "base": dir,
   "variant": "pdf/a-3b" | "pdf/ua-1" | null, "attachments": [path], "identifier": hex,
   "epoch": seconds}
Resources may only be read from files inside "allow" (the source's folder): no network
and no file elsewhere. WeasyPrint's warnings are printed on stdout as one JSON list,
[{"level", "message"}], for the writer to turn into diagnostics.
"""
import inspect
import json
import logging
import os
import sys
from urllib.parse import unquote, urlparse


def main():
    import weasyprint
    from weasyprint import HTML, default_url_fetcher

    cfg = json.loads(sys.stdin.read() or "null")
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
    doc = HTML(filename=cfg["html"], base_url=base, url_fetcher=fetcher)
    params = inspect.signature(doc.write_pdf).parameters
    identifier = bytes.fromhex(cfg["identifier"]) if cfg.get("identifier") else None
    attachments = cfg.get("attachments") or None
    # Fonts are embedded whole, not subset: subsetting with fontTools was 40% of
    # WeasyPrint's time on the flagship (1.4 s of 3.4 s) for a constant ~0.5 MB saved.
    def write(stylesheets):
        if "variant" in params:  # WeasyPrint 53 to 58
            doc.write_pdf(cfg["out"], stylesheets=stylesheets, attachments=attachments,
                          variant=cfg.get("variant"), identifier=identifier, optimize_size=())
        else:  # WeasyPrint 59 and later take options
            options = dict(stylesheets=stylesheets, attachments=attachments,
                           pdf_variant=cfg.get("variant"), pdf_identifier=identifier)
            try:
                doc.write_pdf(cfg["out"], full_fonts=True, **options)
            except TypeError:
                doc.write_pdf(cfg["out"], **options)

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
