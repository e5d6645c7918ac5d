"""Convert a .docx to PDF in LibreOffice, updating its table of contents first; or lay it
out and write the contents' lines, with their page numbers, as JSON.

Run by the system Python that has LibreOffice's `uno` module (Debian: python3-uno), not the
project's virtual environment:  python3 soffice_pdf.py IN.docx OUT.pdf|OUT.json PROFILE_DIR
`soffice --convert-to pdf` alone keeps a Word contents field as it was saved, so this opens
the file through LibreOffice's API and updates every index first.
"""

import contextlib
import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

CONNECT_SECONDS = 60


def _prop(name: str, value: object) -> PropertyValue:
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def convert(source: str, target: str, profile: str) -> None:
    pipe = f"csp-pdf-{os.getpid()}"
    office = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        deadline = time.monotonic() + CONNECT_SECONDS
        while True:
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if time.monotonic() > deadline or office.poll() is not None:
                    raise SystemExit("LibreOffice did not start") from None
                time.sleep(0.2)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        document = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0, (_prop("Hidden", True),)
        )
        if document is None:
            raise SystemExit("LibreOffice could not open the document")
        indexes = document.getDocumentIndexes()
        for number in range(indexes.getCount()):
            indexes.getByIndex(number).update()
        document.refresh()
        if target.endswith(".json"):
            lines = []
            for number in range(indexes.getCount()):
                lines += indexes.getByIndex(number).getAnchor().getString().splitlines()
            with open(target, "w", encoding="utf-8") as out:
                json.dump(lines, out)
        else:
            document.storeToURL(
                uno.systemPathToFileUrl(os.path.abspath(target)),
                (_prop("FilterName", "writer_pdf_Export"),),
            )
        document.close(True)
        with contextlib.suppress(Exception):  # the bridge closes as LibreOffice exits
            desktop.terminate()
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    convert(sys.argv[1], sys.argv[2], sys.argv[3])
