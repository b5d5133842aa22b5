"""Names of the visual and structural cues an extraction can report."""

IMAGE = "image"  # a picture (photo, screenshot, scan)
SCREENSHOT = "screenshot"  # a rendered screen capture
DOCUMENT_PHOTO = "document_photo"  # a photo of a paper document
RED_TITLE = "red_title"  # a large red text block in the top part of a page
RED_RULE = "red_rule"  # a long thin red horizontal line
RED_HEADER = "red_header"  # the 红头 layout: red title with a red rule below it
SCANNED = "scanned"  # pdf/ofd pages without a text layer, read by OCR
DOCUMENT = "document"  # office / pdf / ofd document
ARCHIVE = "archive"  # a zip archive
AUDIO = "audio"
VIDEO = "video"
TEXT = "text"  # a plain text file

ALL = frozenset(
    {IMAGE, SCREENSHOT, DOCUMENT_PHOTO, RED_TITLE, RED_RULE, RED_HEADER, SCANNED, DOCUMENT,
     ARCHIVE, AUDIO, VIDEO, TEXT}
)  # fmt: skip
