"""The Document: what a reader makes of a file's bytes, before any Norwegian is understood."""
from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Block", "BlockKind", "Comment", "Document", "Location"]

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Location(BaseModel):
    """Where something stands in the source: the page a reader sees and the section it is in."""

    model_config = _FROZEN

    page: int | None = Field(default=None, description="1-based page (or web-page section) number")
    line: int | None = Field(default=None, description="1-based line in the source text, where known")
    block: int | None = Field(default=None, description="index of the block in Document.blocks")
    section: tuple[str, ...] = Field(default=(), description="heading path, outermost first")

    @property
    def section_title(self) -> str | None:
        return self.section[-1] if self.section else None

    def describe(self, page_word: str = "side") -> str:
        parts = []
        if self.page is not None:
            parts.append(f"{page_word} {self.page}")
        if self.section:
            parts.append(self.section[-1])
        return ", ".join(parts)


class BlockKind(str, Enum):
    heading = "heading"
    paragraph = "paragraph"
    list_item = "list_item"
    table = "table"


class Block(BaseModel):
    """One unit of text as laid out in the source."""

    model_config = _FROZEN

    kind: BlockKind
    text: str = Field(description="the block's text; for a table, its rows joined with ' | '")
    level: int | None = Field(default=None, description="heading level, 1 = top")
    rows: tuple[tuple[str, ...], ...] = Field(default=(), description="table cells, header row first")
    location: Location = Field(default_factory=Location)


class Comment(BaseModel):
    """An author's comment in the file (a Word or ODT comment, an HTML or Markdown comment,
    a PDF note), kept out of the text and placed where it is anchored."""

    model_config = _FROZEN

    text: str
    location: Location = Field(default_factory=Location)


class Document(BaseModel):
    """A plan as laid out in its file: ordered blocks, each knowing its page and section."""

    model_config = _FROZEN

    path: str
    sha256: str
    format: str
    pages: int | None = None
    language: str | None = None
    title: str | None = None
    metadata: dict[str, str] = Field(default_factory=dict)
    blocks: tuple[Block, ...] = ()
    comments: tuple[Comment, ...] = Field(default=(), description="the authors' comments, in document order")

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)
