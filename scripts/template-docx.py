#!/usr/bin/env python3
"""Writes the three templates (content/resources/mal-*.md) as Word documents
in content/files/, for their resource pages to offer as downloads (issue 29).

A DOCX is a ZIP of XML parts; this writes the few a word processor needs
(the document, its styles, bullets and numbering, the title and language)
with the standard library only. The Markdown the templates use is small:
## and ### headings, paragraphs, - and 1. lists, **bold**, *italic* and
[links](…) (kept as their text). The output is byte-for-byte the same for
the same text (fixed dates in the ZIP), so its public name, the hash of
its bytes, only changes when the template does.

Run from the repository root: python3 scripts/template-docx.py
"""

import html
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# slug of the resource → file written under content/files/
TEMPLATES = {
    "mal-mandat-for-brukerrad": "mal-mandat-for-brukerrad.docx",
    "mal-arsplan-og-moteplan": "mal-arsplan-og-moteplan.docx",
    "mal-rollebeskrivelse-brukerrepresentant-og-erfaringskonsulent": "mal-rollebeskrivelse.docx",
}
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FIXED_DATE = (2026, 12, 7, 0, 0, 0)


def front_and_body(text):
    """The front matter's title and the Markdown body."""
    _, front, body = text.split("+++\n", 2)
    title = re.search(r'^title = "(.*)"$', front, re.M).group(1)
    return title, body


def runs(text):
    """Inline Markdown as Word runs: **bold**, *italic*, [text](url) → text."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    out = []
    for part in re.split(r"(\*\*[^*]+\*\*|\*[^*]+\*)", text):
        if not part:
            continue
        props = ""
        if part.startswith("**") and part.endswith("**"):
            part, props = part[2:-2], "<w:rPr><w:b/></w:rPr>"
        elif part.startswith("*") and part.endswith("*") and len(part) > 1:
            part, props = part[1:-1], "<w:rPr><w:i/></w:rPr>"
        out.append(
            f'<w:r>{props}<w:t xml:space="preserve">{html.escape(part, quote=False)}</w:t></w:r>'
        )
    return "".join(out)


def paragraph(text, style=None, numbering=None):
    props = ""
    if style or numbering:
        inner = f'<w:pStyle w:val="{style}"/>' if style else ""
        if numbering is not None:
            inner += f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{numbering}"/></w:numPr>'
        props = f"<w:pPr>{inner}</w:pPr>"
    return f"<w:p>{props}{runs(text)}</w:p>"


def body_xml(title, markdown):
    parts = [paragraph(title, "Title")]
    ordered_lists = 0
    in_ordered = False
    for line in markdown.strip().splitlines():
        line = line.rstrip()
        if not line:
            in_ordered = False
            continue
        if line.startswith("### "):
            parts.append(paragraph(line[4:], "Heading2"))
        elif line.startswith("## "):
            parts.append(paragraph(line[3:], "Heading1"))
        elif line.startswith("- "):
            parts.append(paragraph(line[2:], "ListParagraph", 1))
        elif re.match(r"\d+\. ", line):
            # Each ordered list starts again at 1: a numbering instance of its own.
            if not in_ordered:
                ordered_lists += 1
                in_ordered = True
            parts.append(paragraph(line.split(". ", 1)[1], "ListParagraph", 1 + ordered_lists))
        else:
            parts.append(paragraph(line))
    return "".join(parts), ordered_lists


def document(title, markdown):
    body, ordered = body_xml(title, markdown)
    doc = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W}"><w:body>{body}'
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1417" w:right="1417" w:bottom="1417" w:left="1417" w:header="708" w:footer="708" w:gutter="0"/>'
        "</w:sectPr></w:body></w:document>"
    )
    nums = '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>' + "".join(
        f'<w:num w:numId="{2 + i}"><w:abstractNumId w:val="1"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        for i in range(ordered)
    )
    numbering = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:numbering xmlns:w="{W}">'
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="bullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'
        f"{nums}</w:numbering>"
    )
    return doc, numbering


STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cs="Calibri"/>
<w:sz w:val="24"/><w:lang w:val="nb-NO"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>
<w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="40"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>
<w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>
<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:qFormat/>
<w:pPr><w:spacing w:after="60"/><w:ind w:left="720"/><w:contextualSpacing/></w:pPr></w:style>
</w:styles>"""

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""

RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""

DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
</Relationships>"""


def core(title):
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{html.escape(title, quote=False)}</dc:title>"
        "<dc:creator>Bli involvert</dc:creator><dc:language>nb-NO</dc:language>"
        "</cp:coreProperties>"
    )


def write_docx(path, title, markdown):
    doc, numbering = document(title, markdown)
    parts = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("docProps/core.xml", core(title)),
        ("word/document.xml", doc),
        ("word/styles.xml", STYLES),
        ("word/numbering.xml", numbering),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))


def main():
    out = ROOT / "content" / "files"
    out.mkdir(exist_ok=True)
    for slug, file in TEMPLATES.items():
        text = (ROOT / "content" / "resources" / f"{slug}.md").read_text(encoding="utf-8")
        title, body = front_and_body(text)
        write_docx(out / file, title, body)
        print(f"{out / file} ({(out / file).stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
