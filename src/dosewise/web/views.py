"""The shell's pages: Today, the patient chart frame, health check and error pages.

The chart frame composes the tabs the apps contribute (`lib.contributions`): it checks the
tab's capability on the patient, writes the chart-open audit event, adds the header and the
tab bar, and renders the tab's template with the context its app returns.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from dosewise.audit.services import audit_record
from dosewise.clinics.clock import clinic_today
from dosewise.lib.access import require_clinic_staff
from dosewise.lib.contributions import chart_cards, chart_tab, chart_tabs, today_sections
from dosewise.patients import selectors
from dosewise.patients.breakglass import offers_break_glass
from dosewise.web.today import today_page


@require_GET
def healthz(request):
    """Answer 200 when the database answers, 503 otherwise (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # any database failure makes the instance unhealthy
        database = "unavailable"
    healthy = database == "ok"
    return JsonResponse({"status": "ok" if healthy else "error", "database": database, "version": settings.VERSION},
                        status=200 if healthy else 503)


@login_required
def home(request):
    if not request.user.is_clinic_staff:
        return render(request, "web/not_staff.html", status=403)
    page = today_page(request.user)
    for name, listed in (("my_patients", page.my_patients), ("recently_registered", page.recent_patients)):
        if listed:
            audit_record(action="patient.list", actor=request.user, detail={"count": len(listed), "list": name})
    sections = [render_to_string(section.template, section_context, request=request)
                for section in today_sections() if (section_context := section.context(request)) is not None]
    return render(request, "web/home.html", {"page": page, "patients": page.my_patients, "sections": sections,
                                             "today": clinic_today(request.user.clinic)})


@login_required
@offers_break_glass
def patient_chart(request, patient_id: int, tab: str = "overview"):
    require_clinic_staff(request)
    selected = chart_tab(tab)
    if selected is None:
        return redirect("web:patient_chart", patient_id=patient_id)
    access = selectors.access_patient(request.user, patient_id, selected.capability)
    header = selectors.chart_header(access)
    audit_record(action="chart.open", actor=request.user, patient=access.patient, detail={"tab": tab, "via": access.via})
    context = {"access": access, "header": header, "patient": access.patient, "tab": tab,
               "tabs": [(t.key, t.label) for t in chart_tabs() if access.can(t.capability)]}
    context.update(selected.context(request, access))
    context["cards"] = [render_to_string(card.template, {**context, **card_context}, request=request)
                        for card in chart_cards(tab) if (card_context := card.context(request, access)) is not None]
    return render(request, selected.template, context)


def not_found(request, exception=None):
    return render(request, "web/error.html", {"title": "Not found", "message":
                  "There is nothing here, or you do not have access to it."}, status=404)


def forbidden(request, exception=None):
    return render(request, "web/error.html", {"title": "Not allowed", "message":
                  str(exception) if exception and str(exception) else "Your role does not give access to this page."},
                  status=403)
