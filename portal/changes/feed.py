"""An Atom feed of published changes (RFC 4287), built with the standard library's XML writer."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from portal.changes.public import PublicChange

ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(items: list[PublicChange], *, title: str, site_url: str, feed_url: str,
              entry_url) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_url
    ET.SubElement(feed, f"{{{ATOM}}}link", href=feed_url, rel="self")
    ET.SubElement(feed, f"{{{ATOM}}}link", href=site_url)
    updated = max((i.change.updated_at for i in items), default=None)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = (updated.isoformat() if updated else "1970-01-01T00:00:00Z")
    for item in items:
        change = item.change
        url = entry_url(change.slug)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = change.title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = url
        ET.SubElement(entry, f"{{{ATOM}}}link", href=url)
        ET.SubElement(entry, f"{{{ATOM}}}published").text = change.published_at.isoformat()
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = change.updated_at.isoformat()
        ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = title
        summary = ET.SubElement(entry, f"{{{ATOM}}}summary")
        summary.text = f"You said: {change.you_said}\n\nWe did: {change.we_did} ({item.supporters} supporters)"
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
