"""The one exception the ingest raises: a seed file that cannot become a document."""


class IngestError(Exception):
    """The message names the file and what is wrong with it, for the person who put it there."""
