"""Log lines: one per fetch, human-readable by default or JSON for machines."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

LOGGER = "stp_tracker"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, message and any structured fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
        }
        data.update(getattr(record, "fields", {}))
        return json.dumps(data, default=str)


class HumanFormatter(logging.Formatter):
    """``time level message key=value ...`` for a person reading a terminal or journal."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", {})
        extra = " ".join(f"{k}={v}" for k, v in fields.items() if v is not None)
        stamp = self.formatTime(record, "%Y-%m-%d %H:%M:%S")
        return f"{stamp} {record.levelname:<7} {record.getMessage()} {extra}".rstrip()


def setup_logging(log_format: str = "human", level: int = logging.INFO) -> logging.Logger:
    """Configure the project's logger to write to stderr in the chosen format."""
    logger = logging.getLogger(LOGGER)
    logger.handlers.clear()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else HumanFormatter())
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    return logger


def log_event(message: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log `message` with structured `fields` (rendered as key=value or JSON keys)."""
    logging.getLogger(LOGGER).log(level, message, extra={"fields": fields})
