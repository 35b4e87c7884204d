"""The core: ingest, index, search and the prompt store. It knows nothing of Discord."""
