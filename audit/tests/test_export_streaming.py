"""Issue 18: pages are compressed (GZipMiddleware), and an audit export stays streamed through it:
the first bytes go out before the export has been produced, so no export is held in memory whole."""

import gzip

from django.urls import reverse

from audit import exports
from audit.exports import COLUMNS, TRAILER_MARK
from audit.models import AuditEvent


def test_a_compressed_export_is_still_streamed_not_buffered(client_for, admin, five_events, monkeypatch):
    produced = {"chunks": 0, "finished": False}
    real_chunks = exports.chunks

    def watched_chunks(*args, **kwargs):
        for chunk in real_chunks(*args, **kwargs):
            produced["chunks"] += 1
            yield chunk
        produced["finished"] = True

    monkeypatch.setattr(exports, "chunks", watched_chunks)
    response = client_for(admin).post(reverse("audit:export", args=["csv"]), HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response.streaming and not response.has_header("Content-Length")
    assert response["Content-Encoding"] == "gzip"
    body = iter(response.streaming_content)
    first = next(body)
    assert first and not produced["finished"]
    assert produced["chunks"] < 3  # the header line and the first batch at most, of header, batch, trailer

    text = gzip.decompress(first + b"".join(body)).decode()
    assert produced["finished"]
    lines = text.splitlines()
    assert lines[0] == ",".join(COLUMNS)
    # Every event of the agency (the export's own included) between the header and the signed trailer.
    assert len(lines) == 1 + AuditEvent.objects.filter(agency=admin.agency).count() + 1
    assert lines[-1].startswith(TRAILER_MARK)
