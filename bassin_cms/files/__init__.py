"""Files: content-addressed storage, upload checks, extraction, downloads."""


def includeme(config):
    # Imported here, not at the top: the child processes of the file work
    # import bassin_cms.files.jobs and need none of this.
    from .jobs import process_pending_files
    from .services import file_service
    from .storage import store_from_settings
    from .tmpstore import UploadTempStore

    # The store the .ini names (a directory, or an S3 bucket shared by servers).
    config.registry["blob_storage"] = store_from_settings(config.get_settings())
    config.add_request_method(file_service, "file_service", reify=True)
    # Uploads kept between a failed form and the next try (forms of any domain).
    config.add_request_method(UploadTempStore, "upload_tempstore", reify=True)
    # Text, thumbnails and previews: made by the worker, not during the upload.
    config.add_change_handler("files", process_pending_files)
    config.scan(".views")
