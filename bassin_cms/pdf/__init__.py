"""ReportLab documents: the demo reports, the resource sheet, the statistics
report, the selection's bibliography."""


def includeme(config):
    config.scan(".views")
