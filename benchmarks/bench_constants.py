"""Names every part of the pipeline benchmark shares."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SESSION, ADMIN, PASSWORD = "bench", "bench", "bench-passphrase-123"
TABLES = "messages, jobs, conversations, audit, logs"
LADDER = (100, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 2000, 2400)
