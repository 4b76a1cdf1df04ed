"""Copy the front-end files mapro serves from node_modules/ into mapro/static/vendor/.

Run at install time after `npm ci`; the copies are not committed (see .gitignore).
"""

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "mapro" / "static" / "vendor"

FILES = {
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "bpmn-js/dist/bpmn-navigated-viewer.production.min.js": "bpmn-js/bpmn-viewer.min.js",
    "bpmn-js/dist/assets/bpmn-js.css": "bpmn-js/bpmn-js.css",
    "bpmn-js/dist/assets/diagram-js.css": "bpmn-js/diagram-js.css",
    "fullcalendar/index.global.min.js": "fullcalendar/fullcalendar.min.js",
    "@fullcalendar/core/locales/es.global.min.js": "fullcalendar/es.min.js",
}


def main() -> None:
    for source, target in FILES.items():
        src = NODE / source
        if not src.exists():
            raise SystemExit(f"falta {src}: ejecute `npm ci` primero")
        dst = VENDOR / target
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        # Minified files name their source map; the manifest storage requires it to exist.
        source_map = src.with_name(src.name + ".map")
        if source_map.exists():
            shutil.copyfile(source_map, dst.with_name(dst.name + ".map"))
    print(f"{len(FILES)} archivos copiados a {VENDOR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
