"""The private crisis card as data: the websocket ``crisis_resources`` frame and help-page context.

The copy follows #chatsafe (Orygen): warm and plain, no diagnosis, no promise that Hearth is an
emergency service, and the local emergency number always beside the line. The Jinja macros in
``templates/partials/crisis.html`` say the same words; a test keeps the two in step.
"""

from __future__ import annotations

from typing import Any

from community.crisis.models import Contact, CountryResources, Directory, Service

HEADLINE = "You're not alone."
ONLY_YOU = "Only you can see this message."
NOT_EMERGENCY_SERVICE = "Hearth is peer support, not an emergency service."
MODERATOR_NOTIFIED = "A peer moderator has been told and may check in with you."
# Used when no moderator was told: the card must never claim someone is coming.
KEEP_TALKING = "You can keep talking here, or reach out to one of these lines any time."


def danger_sentence(res: CountryResources) -> str:
    return f"If you're in danger right now, call {res.emergency_text}."


def card_payload(res: CountryResources, moderator_notified: bool) -> dict[str, Any]:
    """JSON body of the ``crisis_resources`` frame, sent to the author only."""
    return {
        "type": "crisis_resources",
        "country": res.code,
        "country_name": res.name,
        "headline": HEADLINE,
        "body": danger_sentence(res),
        "emergency": {
            "numbers": list(res.emergency),
            "text": res.emergency_text,
            "contacts": [_contact(c) for c in res.emergency_contacts],
        },
        "services": [_service(s) for s in res.services],
        "moderator_notified": moderator_notified,
        "closing": MODERATOR_NOTIFIED if moderator_notified else KEEP_TALKING,
        "disclaimer": NOT_EMERGENCY_SERVICE,
        "private_note": ONLY_YOU,
    }


def help_context(directory: Directory, country: str) -> dict[str, Any]:
    """Template context for ``help.html``: the resolved country's lines, every other country,
    and the international directory."""
    resources = directory.for_country(country)
    return {
        "resources": resources,
        "others": directory.others(resources.code),
        "international": directory.international,
    }


def _service(service: Service) -> dict[str, Any]:
    return {
        "name": service.name,
        "contacts": [_contact(c) for c in service.contacts],
        "summary": service.summary,
        "hours": service.hours,
        "languages": list(service.languages),
        "audience": list(service.audience),
        "source": service.source,
        "last_verified": service.last_verified,
    }


def _contact(contact: Contact) -> dict[str, Any]:
    return {
        "kind": contact.kind,
        "value": contact.value,
        "note": contact.note,
        "label": contact.label,
        "href": contact.href,
    }
