#!/usr/bin/env python3
"""Workbooks for the import-form measurement in BENCHMARKS.md.

Usage: hostile_workbooks.py EMPTY.xlsx FULL.xlsx OUTDIR
EMPTY.xlsx is a form from `malgrupp form`, FULL.xlsx one with --groups 1000.
Writes to OUTDIR: four bombs made from EMPTY.xlsx, each unpacking to
0.5-1 GiB (blanks.xlsx, blanks-lying.xlsx whose zip directories claim the
sheet is 12 kB, cells.xlsx with 32 million cells, string.xlsx with one
512 MiB shared string; parts.xlsx, 90 parts of 1 MiB that pack only
about 3:1, the most unpacking a refusal can take), and filled1000.xlsx, FULL.xlsx with every group row
named and counted (the largest form that should be read).
"""
import os, random, re, struct, sys, zipfile

empty, full, outdir = sys.argv[1:4]
src = zipfile.ZipFile(empty)
parts = {i.filename: src.read(i) for i in src.infolist()}
SHEET, SST = "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"
MB = 1 << 20


def write(name, big, head, chunk, times, tail, lie=False):
    path = os.path.join(outdir, name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for n, b in parts.items():
            if n != big:
                z.writestr(n, b)
                continue
            with z.open(n, "w") as w:
                w.write(head)
                for _ in range(times):
                    w.write(chunk)
                w.write(tail)
    if lie:  # both zip directories claim the part is as small as the real one
        data = bytearray(open(path, "rb").read())
        for sig, size_at, len_at, header in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
            i = data.find(sig)
            while i != -1:
                n = struct.unpack_from("<H", data, i + len_at)[0]
                if data[i + header:i + header + n] == big.encode():
                    struct.pack_into("<I", data, i + size_at, len(parts[big]))
                i = data.find(sig, i + 4)
        open(path, "wb").write(data)


sheet = parts[SHEET].decode()
at = sheet.index('<row r="23"')
head, tail = sheet[:at].encode(), sheet[at:].encode()
write("blanks.xlsx", SHEET, head, b" " * MB, 1024, tail)
write("blanks-lying.xlsx", SHEET, head, b" " * MB, 1024, tail, lie=True)
row = b'<row r="23">' + b'<c r="C23"><v>1</v></c>' * 45590 + b"</row>"
write("cells.xlsx", SHEET, head, row, 700, tail)
sst = parts[SST].decode()
at = sst.index("<si>")
write("string.xlsx", SST, sst[:at].encode() + b"<si><t>", b"x" * MB, 512,
      b"</t></si>" + sst[at:].encode())
# The most work a refusal can take: parts that pack only about 3:1, 90 MiB
# in all, each under the size and packing limits.
random.seed(1)
noise = "".join(random.choice("abc ") for _ in range(MB)).encode()
with zipfile.ZipFile(os.path.join(outdir, "parts.xlsx"), "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    for n, b in parts.items():
        z.writestr(n, b)
    for i in range(90):
        z.writestr(f"customXml/item{i}.xml", b"<a>" + noise[i:] + noise[:i] + b"</a>")

src = zipfile.ZipFile(full)
with zipfile.ZipFile(os.path.join(outdir, "filled1000.xlsx"), "w", zipfile.ZIP_DEFLATED) as out:
    for info in src.infolist():
        data = src.read(info)
        if info.filename == SHEET:
            xml = data.decode()
            for r in re.findall(r'<c r="A(\d+)" s="1"><v>\d+</v></c>', xml):
                xml = xml.replace(f'<c r="B{r}" s="4"/>',
                                  f'<c r="B{r}" s="4" t="inlineStr"><is><t>Grupp {r}</t></is></c>')
                xml = xml.replace(f'<c r="C{r}" s="4"/>', f'<c r="C{r}" s="4"><v>{r}</v></c>')
            data = xml.encode()
        out.writestr(info, data)
