"""Archive audit jobs: an uploaded export audited in the background, its report and incidents."""
