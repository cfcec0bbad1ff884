"""The batch layer: inputs found and read, cleaned by workers, outputs written in input order with a
manifest and a resume journal; progress and summary. The only layer that touches the file system."""
