"""Media stores: the file system under the data dir (default) and S3-compatible storage."""

from wa_agents.adapters.media.filesystem import FileSystemMediaStore
from wa_agents.adapters.media.s3 import S3MediaStore

__all__ = ["FileSystemMediaStore", "S3MediaStore"]
