"""Responses serialised once, by pydantic's core, straight to JSON bytes."""

from __future__ import annotations

from fastapi import Response
from pydantic import BaseModel


def model_json(model: BaseModel, status_code: int = 200) -> Response:
    """The route keeps `response_model=` for the OpenAPI document, but returns this: FastAPI would
    otherwise validate the model it was handed once more (in the threadpool, for a sync route)
    before serialising it. The bytes are the same (`by_alias`, as FastAPI serialises)."""
    return Response(model.model_dump_json(by_alias=True), status_code, media_type="application/json")
