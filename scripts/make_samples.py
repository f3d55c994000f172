#!/usr/bin/env python3
"""Writes samples/<case>/input.json and input.xml for every case below, each a small, explicit
variation of the hand-written base case samples/01-scig-95min-office/input.json (fictitious people,
providers and NDCs). Expected outputs are produced by the golden test with FHIR837_UPDATE_GOLDEN=1
and then checked by hand; see samples/README.md for what each case shows."""
import copy
import json
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
BASE = json.loads((ROOT / "samples/01-scig-95min-office/input.json").read_text())
CARIN = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType"
ICD = "http://hl7.org/fhir/sid/icd-10-cm"


def res(bundle, rtype, rid_prefix=None):
    for e in bundle["entry"]:
        r = e["resource"]
        if r["resourceType"] == rtype and (rid_prefix is None or r["id"].startswith(rid_prefix)):
            return r
    raise KeyError(rtype)


def renumber(bundle, n):
    """Gives every id, fullUrl and claim id of the case its own number so cases never collide."""
    text = json.dumps(bundle)
    text = text.replace("6f1c2a3e-0001-", f"6f1c2a3e-{n:04d}-")
    text = text.replace('"ma-second-site"', f'"ma-second-site-{n:02d}"')
    for rid in ["ma-01", "pat-01", "cov-01", "enc-01", "pump-01"]:
        text = text.replace(f'"{rid}"', f'"{rid[:-2]}{n:02d}"')
    text = text.replace("INF20250310001", f"INF20250310{n:03d}")
    text = text.replace('"sample-01"', f'"sample-{n:02d}"')
    return json.loads(text)


def period(bundle, start, end):
    res(bundle, "MedicationAdministration")["effectivePeriod"] = {"start": start, "end": end}


def payer(bundle, name, payer_id=None, system=None):
    org = res(bundle, "Organization", "org-aetna")
    org["name"] = name
    if payer_id is None:
        org.pop("identifier", None)
    elif system:
        org["identifier"] = [{"system": system, "value": payer_id}]
    else:
        org["identifier"] = [{"type": {"coding": [{"system": CARIN, "code": "payerid"}]},
                              "value": payer_id}]


def case_16min(b):
    period(b, "2025-03-10T09:00:00-05:00", "2025-03-10T09:16:00-05:00")
    payer(b, "Cigna Healthcare", "62308")


def case_60min(b):
    period(b, "2025-03-10T09:00:00-05:00", "2025-03-10T10:00:59-05:00")
    payer(b, "UnitedHealthcare", "87726")


def case_91min_medicare(b):
    period(b, "2025-03-10T09:00:00-05:00", "2025-03-10T10:31:00-05:00")
    payer(b, "Medicare Part B (Noridian JE)", "01182", "urn:fhir837:payer-id")


def case_151min_bcbs(b):
    period(b, "2025-03-10T09:00:00-05:00", "2025-03-10T11:31:00-05:00")
    payer(b, "Blue Cross Blue Shield of Illinois", "00621")


def case_dependent(b):
    period(b, "2025-03-10T09:00:00-05:00", "2025-03-10T10:00:00-05:00")
    child = res(b, "Patient")
    child["name"] = [{"use": "official", "family": "Doe", "given": ["Emma", "Rose"]}]
    child["birthDate"] = "2015-06-02"
    parent = copy.deepcopy(child)
    parent["id"] = "subscriber-parent"
    parent["name"] = [{"use": "official", "family": "Doe", "given": ["Jane"]}]
    parent["birthDate"] = "1980-01-15"
    b["entry"].append({"fullUrl": "urn:uuid:6f1c2a3e-0001-4000-8000-000000000012",
                       "resource": parent})
    cov = res(b, "Coverage")
    cov["subscriber"] = {"reference": "urn:uuid:6f1c2a3e-0001-4000-8000-000000000012"}
    cov["relationship"]["coding"][0]["code"] = "child"


def case_two_diagnoses(b):
    cond = copy.deepcopy(res(b, "Condition"))
    cond["id"] = "cond-g6181"
    cond["code"] = {"coding": [{"system": ICD, "code": "G61.81",
                                "display": "Chronic inflammatory demyelinating polyneuritis"}]}
    b["entry"].append({"fullUrl": "urn:uuid:6f1c2a3e-0001-4000-8000-000000000013", "resource": cond})
    enc = res(b, "Encounter")
    enc["diagnosis"].append({"condition": {"reference": "urn:uuid:6f1c2a3e-0001-4000-8000-000000000013"},
                             "rank": 2})
    res(b, "MedicationAdministration")["reasonReference"].append(
        {"reference": "urn:uuid:6f1c2a3e-0001-4000-8000-000000000013"})


def case_offsets_differ(b):
    # US daylight saving ended at 02:00 EDT on 2024-11-03: 01:30 EDT to 01:45 EST is 75 minutes,
    # though the wall clocks are only 15 minutes apart. (Before the golden clock, 2025-03-12: a
    # later date would be a future service, DOS-FUTURE.)
    period(b, "2024-11-03T01:30:00-04:00", "2024-11-03T01:45:00-05:00")


def case_iv_route(b):
    ma = res(b, "MedicationAdministration")
    ma["dosage"]["route"] = {"coding": [{"system": "http://snomed.info/sct", "code": "47625008",
                                         "display": "Intravenous route"}]}


def case_route_missing(b):
    del res(b, "MedicationAdministration")["dosage"]["route"]


def case_second_pump_site(b):
    ma = res(b, "MedicationAdministration")
    period(b, "2025-03-10T09:00:00-05:00", "2025-03-10T10:00:00-05:00")
    second = copy.deepcopy(ma)
    second["id"] = "ma-second-site"
    second["effectivePeriod"] = {"start": "2025-03-10T10:20:00-05:00",
                                 "end": "2025-03-10T11:20:00-05:00"}
    second["dosage"]["site"] = {"coding": [{"system": "http://snomed.info/sct", "code": "818981001",
                                            "display": "Abdomen"}]}
    second["dosage"]["dose"] = {"value": 4, "unit": "g", "system": "http://unitsofmeasure.org",
                                "code": "g"}
    b["entry"].insert(1, {"fullUrl": "urn:uuid:6f1c2a3e-0001-4000-8000-000000000014",
                          "resource": second})


def case_sc_period_without_evidence(b):
    # Like R4 medadmin0308: SC with a 10-hour period but no pump, rate, method or procedure.
    ma = res(b, "MedicationAdministration")
    period(b, "2025-03-10T04:30:00-05:00", "2025-03-10T14:30:00-05:00")
    del ma["device"]
    del ma["dosage"]["rateQuantity"]
    del ma["dosage"]["method"]
    ma["dosage"]["dose"] = {"value": 2, "unit": "g", "system": "http://unitsofmeasure.org",
                            "code": "g"}


def case_medicare_home(b):
    payer(b, "Medicare Part B (Noridian JE)", "01182", "urn:fhir837:payer-id")
    loc = res(b, "Location")
    loc["type"][0]["coding"][0]["code"] = "12"
    loc["type"][0]["coding"][0]["display"] = "Home"


def case_unknown_payer(b):
    payer(b, "Acme Mutual Health Plan", "99999")


def case_short_infusion(b):
    period(b, "2025-03-10T09:00:00-05:00", "2025-03-10T09:10:00-05:00")
    res(b, "MedicationAdministration")["dosage"]["dose"] = {
        "value": 2, "unit": "g", "system": "http://unitsofmeasure.org", "code": "g"}


def case_in_progress(b):
    ma = res(b, "MedicationAdministration")
    ma["status"] = "in-progress"
    ma["effectivePeriod"] = {"start": "2025-03-10T09:00:00-05:00"}


POS_SYSTEM = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"


def location_pos(b, rid, code, display, name=None, address=None):
    loc = res(b, "Location")
    loc["id"] = rid
    loc["type"][0]["coding"][0] = {"system": POS_SYSTEM, "code": code, "display": display}
    if name:
        loc["name"] = name
    if address:
        loc["address"] = address


HOSPITAL_ADDRESS = {"line": ["800 Hospital Dr"], "city": "Springfield", "state": "IL",
                    "postalCode": "62702-9999"}


def hospital_billing(b):
    """Makes the billing Organization the config's 837I facility (billing.profiles NPI 1555555550),
    at the Location's address so no 2310E service facility is needed."""
    address = copy.deepcopy(HOSPITAL_ADDRESS)
    org = res(b, "Organization", "org-prairie")
    org["id"] = "org-springfield-general"
    org["name"] = "Springfield General Hospital"
    org["identifier"] = [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1555555550"},
                         {"system": "urn:oid:2.16.840.1.113883.4.4", "value": "37-1112222"}]
    org["type"] = [{"coding": [{"system": "http://nucc.org/provider-taxonomy",
                                "code": "282N00000X"}]}]
    org["address"] = [dict(address, use="work")]
    location_pos(b, "loc-sgh-infusion", "22", "On Campus-Outpatient Hospital",
                 "Springfield General Hospital Infusion Suite", address)


def case_hospital_outpatient_837i(b):
    hospital_billing(b)
    # The attending is a second practitioner, so the output shows ATND won over the performer.
    attending = {"resourceType": "Practitioner", "id": "prac-garcia",
                 "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi",
                                 "value": "1777777776"}],
                 "name": [{"family": "Garcia", "given": ["Maria"]}]}
    b["entry"].append({"fullUrl": "urn:uuid:6f1c2a3e-0001-4000-8000-000000000015",
                       "resource": attending})
    res(b, "Encounter")["participant"] = [{
        "type": [{"coding": [{"system": PARTICIPATION, "code": "ATND", "display": "attender"}]}],
        "individual": {"reference": "urn:uuid:6f1c2a3e-0001-4000-8000-000000000015"}}]


def case_837i_attending_from_performer(b):
    hospital_billing(b)


def case_professional_at_er(b):
    # POS 23 is a facility setting (coding-rules D7) but in no billing profile, so the claim stays
    # 837P and the professional claim carries neither the administration nor the drug.
    location_pos(b, "loc-sgh-er", "23", "Emergency Room - Hospital",
                 "Springfield General Hospital Emergency Department",
                 copy.deepcopy(HOSPITAL_ADDRESS))


def case_ten_year_period(b):
    # Issue 9 §5: once billed as 96370 x 87,673; a period past max_infusion_hours is needs-review.
    period(b, "2015-03-10T09:00:00-05:00", "2025-03-10T10:35:00-05:00")


def case_future_service(b):
    # Issue 9 §5: after the run clock (the golden tests' 2025-03-12T10:30Z) -> DOS-FUTURE.
    period(b, "2025-03-13T09:00:00-05:00", "2025-03-13T10:35:00-05:00")


CASES = [
    (2, "02-scig-16min-cigna", case_16min),
    (3, "03-scig-60min-uhc", case_60min),
    (4, "04-scig-91min-medicare-jz", case_91min_medicare),
    (5, "05-scig-151min-bcbs", case_151min_bcbs),
    (6, "06-patient-is-not-subscriber", case_dependent),
    (7, "07-two-diagnoses", case_two_diagnoses),
    (8, "08-offsets-differ-dst", case_offsets_differ),
    (9, "09-iv-infusion-is-96365", case_iv_route),
    (10, "10-unknown-payer-rejected", case_unknown_payer),
    (11, "11-sc-10min-is-injection", case_short_infusion),
    (12, "12-in-progress-held", case_in_progress),
    (13, "13-route-missing-needs-review", case_route_missing),
    (14, "14-second-pump-new-site-96371", case_second_pump_site),
    (15, "15-sc-period-without-pump-is-injection", case_sc_period_without_evidence),
    (16, "16-medicare-home-pos12-review", case_medicare_home),
    (17, "17-hospital-outpatient-837i", case_hospital_outpatient_837i),
    (18, "18-837i-attending-from-performer", case_837i_attending_from_performer),
    (19, "19-professional-at-er-pos23-not-billable", case_professional_at_er),
    (40, "40-ten-year-period-needs-review", case_ten_year_period),
    (41, "41-future-service-date-needs-review", case_future_service),
]


def main():
    for number, name, change in CASES:
        bundle = copy.deepcopy(BASE)
        change(bundle)
        bundle = renumber(bundle, number)
        folder = ROOT / "samples" / name
        folder.mkdir(exist_ok=True)
        (folder / "input.json").write_text(json.dumps(bundle, indent=2) + "\n")
    for folder in sorted((ROOT / "samples").iterdir()):
        if (folder / "input.json").exists():
            xml = subprocess.run(["python3", str(ROOT / "scripts/fhir_json_to_xml.py"),
                                  str(folder / "input.json")], check=True, capture_output=True,
                                 text=True).stdout
            (folder / "input.xml").write_text(xml)


if __name__ == "__main__":
    main()
