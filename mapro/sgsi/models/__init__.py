from .documents import SgsiDocument, SgsiDocumentVersion, SgsiObservation
from .inventory import AssetChange, InformationAsset

__all__ = [
    "AssetChange",
    "InformationAsset",
    "SgsiDocument",
    "SgsiDocumentVersion",
    "SgsiObservation",
]
