"""Video visits on a Jitsi Meet server: the room, the join link and the per-participant token.

Each video appointment has its own room name, 128 random bits in hex, so nobody finds a visit
by guessing. When the deployment sets JITSI_APP_ID and JITSI_APP_SECRET (a Jitsi server with
token authentication), every participant's link carries a short-lived JWT signed with PyJWT:
the clinician's token makes them moderator, the patient's does not, so that with the server's
lobby on (a Jitsi server setting, docs/decisions/0044) the patient waits until the clinician
lets them in. Without a secret the room works as an open
Jitsi room whose name is the only key; docs/decisions/0044 says why a clinic should set one.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote, urlsplit

import jwt
from django.conf import settings
from django.utils import timezone

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands",
    "AS": "American Samoa", "MP": "Northern Mariana Islands", "XX": "Outside the United States",
}
TOKEN_MARGIN = timedelta(hours=1)


def meeting_origin() -> str:
    """Return the scheme and host of the meeting server (the one origin given camera and microphone)."""
    parts = urlsplit(settings.JITSI_BASE_URL)
    return f"{parts.scheme}://{parts.netloc}"


def participant_token(appointment, *, name: str, moderator: bool) -> str:
    """Return a JWT for one participant of this appointment's room (Jitsi token authentication)."""
    now = timezone.now()
    claims = {
        "aud": "jitsi", "iss": settings.JITSI_APP_ID, "sub": urlsplit(settings.JITSI_BASE_URL).hostname,
        "room": appointment.video_room, "nbf": int((appointment.starts_at - TOKEN_MARGIN).timestamp()),
        "iat": int(now.timestamp()), "exp": int((appointment.blocks_until + TOKEN_MARGIN).timestamp()),
        "moderator": moderator,
        "context": {"user": {"name": name, "moderator": moderator, "affiliation": "owner" if moderator else "member"}},
    }
    return jwt.encode(claims, settings.JITSI_APP_SECRET, algorithm="HS256")


def join_url(appointment, *, name: str, moderator: bool) -> str:
    """Return the participant's meeting link: the room, the token when configured, the lobby on."""
    url = f"{settings.JITSI_BASE_URL.rstrip('/')}/{appointment.video_room}"
    if settings.JITSI_APP_SECRET:
        url += "?jwt=" + participant_token(appointment, name=name, moderator=moderator)
    # The clinic's name for the participant, and the pre-join screen to check camera and microphone.
    return url + "#userInfo.displayName=" + quote(f'"{name}"') + "&config.prejoinConfig.enabled=true"


def video_permissions_policy() -> str:
    """Return the Permissions-Policy of the video page: camera and microphone for the meeting origin only."""
    origin = meeting_origin()
    return f'camera=("{origin}"), microphone=("{origin}"), display-capture=("{origin}"), geolocation=()'
