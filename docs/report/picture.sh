#!/bin/sh
# Regenerates docs/report.png, the README's picture of the `citebot report --html` page, from the
# hand-written example feedback log beside this script (example-log.jsonl; no real questions).
#
# The page is rendered without a browser: WeasyPrint lays the HTML and its inline SVG charts out
# to PDF (it needs Pango, which most Linux systems have), and PyMuPDF turns that PDF into a PNG.
# Both come from PyPI; the 👍 / 👎 need an emoji font (Debian: fonts-noto-color-emoji):
#
#     pip install --user weasyprint pymupdf pillow
#     docs/report/picture.sh
#
# The report's date in its title is the day it is run; everything else depends on the log only.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --quiet --manifest-path "$here/../../Cargo.toml"
(cd "$here" && "$here/../../target/debug/citebot" --config citebot.toml report --html "$work/report.html" >/dev/null)
# One tall page as wide as a browser window, so nothing breaks across pages; cropped below.
printf '@page { size: 800px 3000px; margin: 0 } html { background: #fff }\n' >"$work/page.css"
python3 -m weasyprint --stylesheet "$work/page.css" "$work/report.html" "$work/report.pdf" 2>/dev/null
python3 - "$work/report.pdf" "$here/../report.png" <<'EOF'
import sys

import pymupdf
from PIL import Image, ImageChops

pdf, png = sys.argv[1], sys.argv[2]
# 1.5 pixels per CSS pixel: sharp on high-density screens, still small.
pixmap = pymupdf.open(pdf)[0].get_pixmap(dpi=144)
image = Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)
# Crop the blank rest of the tall page, keeping a margin as wide as the page's own.
content = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
margin = 48
image = image.crop((0, 0, image.width, min(image.height, content[3] + margin)))
image.save(png, optimize=True)
EOF
echo "wrote docs/report.png"
