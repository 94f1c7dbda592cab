"""Full-text search in French (Whoosh 2.7.4). Today: the analysis chain."""
