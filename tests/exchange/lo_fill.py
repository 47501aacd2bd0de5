"""Fill a dkdesk template in a real LibreOffice Calc over UNO, as a person would, save as .xlsx.

Run under Debian's ``/usr/bin/python3`` (python3-uno), not the project venv::

    /usr/bin/python3 lo_fill.py IN.xlsx OUT.xlsx SPEC.json PROFILE_DIR

SPEC.json maps field code -> [how, text]: how is "string" (setString: typed text such as
"1.234" or "có"), "value" (setValue: a number), "formula" (setFormula: "=2+3"). Codes not in
the spec are left empty. Starts its own headless soffice with its own profile and a pipe.

Many files in ONE soffice start (40 starts are far too slow on 2 cores)::

    /usr/bin/python3 lo_fill.py --batch JOBS.json PROFILE_DIR

JOBS.json is a list of {"src": IN, "dst": OUT, "spec": {code: [how, text]}}; prints one
"filled N cells" line per file and exits 4 when some spec code was not found.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(src: str, dst: str, spec_path: str, profile: str) -> int:
    spec = json.load(open(spec_path, encoding="utf-8"))
    return run([{"src": src, "dst": dst, "spec": spec}], profile)


def fill_one(desktop, src: str, dst: str, spec: dict) -> int:
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
                                       (prop("Hidden", True),))
    sheet = doc.Sheets.getByName("Biểu nhập liệu")
    filled = 0
    for row in range(0, 200):
        code = sheet.getCellByPosition(1, row).getString().strip()
        if code in spec:
            how, text = spec[code]
            cell = sheet.getCellByPosition(4, row)
            if how == "string":
                cell.setString(text)
            elif how == "value":
                cell.setValue(float(text))
            else:
                cell.setFormula(text)
            filled += 1
    doc.calculateAll()
    doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)),
                   (prop("FilterName", "Calc MS Excel 2007 XML"), prop("Overwrite", True)))
    doc.close(True)
    return filled


def run(jobs: list, profile: str) -> int:
    pipe = "dkdesk" + uuid.uuid4().hex[:8]
    proc = subprocess.Popen(["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
                             f"-env:UserInstallation=file://{profile}",
                             f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(240):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if proc.poll() is not None:
                    print("soffice exited early", file=sys.stderr)
                    return 3
                time.sleep(0.25)
        if ctx is None:
            print("could not connect to soffice", file=sys.stderr)
            return 3
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        code = 0
        for job in jobs:
            filled = fill_one(desktop, job["src"], job["dst"], job["spec"])
            print(f"filled {filled} cells: {job['dst']}")
            if filled != len(job["spec"]):
                code = 4
        try:
            desktop.terminate()
        except Exception:
            pass
        return code
    finally:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    if sys.argv[1] == "--batch":
        sys.exit(run(json.load(open(sys.argv[2], encoding="utf-8")), sys.argv[3]))
    sys.exit(main(*sys.argv[1:5]))
