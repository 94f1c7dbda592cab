"""Files: content-addressed storage, upload checks, extraction, downloads."""

from .services import file_service
from .storage import BlobStorage
from .tmpstore import UploadTempStore


def includeme(config):
    settings = config.get_settings()
    mode = int(str(settings.get("bassin.file_mode", "0644")), 8)
    config.registry["blob_storage"] = BlobStorage(settings["bassin.files_dir"], mode=mode)
    config.add_request_method(file_service, "file_service", reify=True)
    # Uploads kept between a failed form and the next try (forms of any domain).
    config.add_request_method(UploadTempStore, "upload_tempstore", reify=True)
    config.scan(".views")
