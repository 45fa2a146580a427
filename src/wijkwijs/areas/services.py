"""Writes on the area register: areas, boundaries, clusterings and assignments.

Every service runs in one transaction and records an audit event; imports validate the whole
file first and store nothing when anything is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.utils.text import slugify

from wijkwijs.areas import codes, geometry
from wijkwijs.areas.csvfiles import read_rows
from wijkwijs.areas.models import Area, Assignment, Cluster, Clustering, ClusterMember, Kind
from wijkwijs.audit.services import record, record_many
from wijkwijs.core.bulk import insert_columns
from wijkwijs.core.errors import DomainError, ImportRejected, ImportReport, Problem


@dataclass
class AreasEnsured:
    """What ``areas_ensure`` did, and the id of every area its rows name (code -> pk), so a
    caller that stores figures for them needs no look-up of its own."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: dict[str, int] = field(default_factory=dict)
    created_codes: set[str] = field(default_factory=set)


@transaction.atomic
def areas_ensure(
    *,
    rows: list[dict[str, Any]],
    source: str,
    actor: Any,
    now: datetime,
    valid_from: date | None = None,
) -> AreasEnsured:
    """Add or rename areas from rows ``{"code", "name", "kind"?}``; parents come from the codes.

    Parents are created before children whatever the order of the rows. Unknown parents that
    are not in the rows are an error: the register stays consistent.
    """
    problems: list[Problem] = []
    clean: dict[str, tuple[str, str, str, str | None]] = {}  # code -> (name, level, kind, parent)
    kinds = set(Kind.values)
    max_name = Area._meta.get_field("name").max_length or 200
    level_of, parent_at = codes.level_of, codes.parent_at
    for i, row in enumerate(rows, start=1):
        code = codes.normalise(str(row.get("code", "")))
        level = level_of(code)
        if level is None:
            problems.append(Problem(source=source, row=i, reason=f"onbekende gebiedscode {code!r} (verwacht GM, WK of BU gevolgd door cijfers)"))
            continue
        name = str(row.get("name", "")).strip()
        if not name:
            problems.append(Problem(source=source, row=i, reason=f"{code}: naam ontbreekt"))
            continue
        kind = row.get("kind") or ""
        if kind not in kinds or len(name) > max_name:
            problems.append(Problem(source=source, row=i, reason=f"{code}: ongeldige soort {kind!r} of te lange naam"))
            continue
        clean[code] = (name, level, kind, parent_at(code, level))
    wanted = {r[3] or c for c, r in clean.items()} | set(clean)
    qs = Area.objects.all() if len(wanted) > 500 else Area.objects.filter(code__in=wanted)  # big imports: one scan
    # code -> (pk, name, kind): plain tuples, model instances only for what changes
    existing = {code: (pk, name, kind) for pk, code, name, kind in qs.values_list("pk", "code", "name", "kind")}
    for code, (_, _, _, parent) in clean.items():
        if parent and parent not in clean and parent not in existing:
            problems.append(Problem(source=source, reason=f"{code}: het bovenliggende gebied {parent} is onbekend"))
    if problems:
        raise ImportRejected(f"{source}: gebieden niet ingelezen", problems=problems)

    result = AreasEnsured()
    ids = {code: pk for code, (pk, _, _) in existing.items()}
    start = connection.ops.adapt_datefield_value(valid_from)
    in_order = sorted(clean.items())
    fresh_codes = result.created_codes
    for level in ("GM", "WK", "BU"):  # parents before children, bulk inserts per level
        fresh = [(code, r) for code, r in in_order if r[1] == level and code not in ids]
        if not fresh:
            continue
        columns = {
            "code": [code for code, _ in fresh],
            "name": [r[0] for _, r in fresh],
            "parent": [ids[r[3]] if r[3] else None for _, r in fresh],
            "kind": [r[2] for _, r in fresh],
        }
        constants = {"level": level, "valid_from": start, "geometry_source": "", "geometry_version": 0}
        insert_columns(Area, columns, constants=constants)
        new = set(columns["code"])
        level_qs = Area.objects.filter(level=level) if len(new) > 500 else Area.objects.filter(code__in=new)
        ids.update((code, pk) for code, pk in level_qs.values_list("code", "pk") if code in new)
        fresh_codes |= new
    result.created = len(fresh_codes)
    data = {"source": source}
    record_many(
        actor=actor, action="area.created", now=now, model=Area,
        items=[(ids[code], f"{r[0]} ({code})", data) for code, r in in_order if code in fresh_codes],
    )
    for code, (name_new, _, kind_new, _) in in_order:
        if code in fresh_codes:
            continue
        _, name, kind = existing[code]
        changes = {}
        if name != name_new:
            changes["name"] = [name, name_new]
        if kind_new and kind != kind_new:
            changes["kind"] = [kind, kind_new]
        if changes:
            area = Area.objects.get(code=code)
            area.name = name_new
            area.kind = kind_new or area.kind
            area.save(update_fields=["name", "kind"])
            result.updated += 1
            record(actor=actor, action="area.updated", obj=area, now=now, data={"source": source, "changes": changes})
        else:
            result.unchanged += 1
    result.ids = {code: ids[code] for code in clean}
    return result


@transaction.atomic
def area_close(*, area: Area, valid_to: date, actor: Any, now: datetime) -> Area:
    """Close an area that CBS no longer uses. Areas are never deleted: history refers to them."""
    if area.valid_to is not None:
        raise DomainError(f"{area.code} is al gesloten per {area.valid_to}")
    area.valid_to = valid_to
    area.full_clean()
    area.save(update_fields=["valid_to"])
    record(actor=actor, action="area.closed", obj=area, now=now, data={"valid_to": valid_to.isoformat()})
    return area


@transaction.atomic
def boundaries_import(
    *, data: bytes, source: str, actor: Any, now: datetime, create_missing: bool = False
) -> ImportReport:
    """Load boundaries from GeoJSON (WGS84 or RD New). Every feature's code must be in the
    register (or ``create_missing`` adds it, named from the file); any problem stores nothing."""
    features, problems = geometry.read_features(data, source)
    known = {a.code: a for a in Area.objects.filter(code__in=[f.code for f in features])}
    if not problems:
        missing = [f for f in features if f.code not in known]
        if missing and not create_missing:
            problems = [
                Problem(source=source, reason=f"{f.code}: onbekend gebied; lees eerst de gebieden in of gebruik 'nieuwe gebieden toevoegen'")
                for f in missing
            ]
        elif missing:
            for f in missing:
                if codes.level_of(f.code) is None:
                    problems.append(Problem(source=source, reason=f"{f.code}: geen CBS-gebiedscode"))
                elif not f.name:
                    problems.append(Problem(source=source, reason=f"{f.code}: naam ontbreekt voor een nieuw gebied"))
            if not problems:
                areas_ensure(rows=[{"code": f.code, "name": f.name} for f in missing], source=source, actor=actor, now=now)
                known = {a.code: a for a in Area.objects.filter(code__in=[f.code for f in features])}
    if problems:
        raise ImportRejected(f"{source}: grenzen niet ingelezen", problems=problems)

    report = ImportReport()
    for f in features:
        area = known[f.code]
        if area.geometry == f.geometry:
            report.unchanged += 1
            continue
        min_lon, min_lat, max_lon, max_lat = geometry.bbox(f.geometry)
        area.geometry = f.geometry
        area.geometry_source = source[:300]
        area.min_lon, area.min_lat, area.max_lon, area.max_lat = min_lon, min_lat, max_lon, max_lat
        area.geometry_version += 1
        area.save(update_fields=["geometry", "geometry_source", "geometry_version", "min_lon", "min_lat", "max_lon", "max_lat"])
        report.updated += 1
        record(actor=actor, action="area.boundary_loaded", obj=area, now=now, data={"source": source})
    return report


def _parse_clustering_csv(data: bytes, source: str, unit_level: str) -> tuple[list[tuple[int, str, str]], list[Problem]]:
    rows = read_rows(data, source)
    problems: list[Problem] = []
    parsed: list[tuple[int, str, str]] = []
    for index, (line, cells) in enumerate(rows):
        if index == 0 and codes.level_of(cells[0]) is None:
            continue  # header row
        if len(cells) < 2 or not cells[1]:
            problems.append(Problem(source=source, row=line, reason="verwacht twee kolommen: gebiedscode, clusternaam"))
            continue
        code = codes.normalise(cells[0])
        level = codes.level_of(code)
        if level is None:
            problems.append(Problem(source=source, row=line, reason=f"{cells[0]!r} is geen gebiedscode"))
        elif level != unit_level:
            problems.append(Problem(source=source, row=line, reason=f"{code} is geen {'wijk' if unit_level == 'WK' else 'buurt'}"))
        else:
            parsed.append((line, code, cells[1]))
    return parsed, problems


@transaction.atomic
def clustering_import(
    *,
    data: bytes,
    source: str,
    name: str,
    unit_level: str,
    actor: Any,
    now: datetime,
    slug: str = "",
    description: str = "",
    owner: str = "",
    is_example: bool = False,
    allow_gaps: bool = False,
    replace: bool = False,
) -> Clustering:
    """Import a clustering from CSV rows ``unit code, cluster name``.

    Rejected (nothing stored) when a row is malformed, a code is unknown or of the wrong level,
    a unit appears twice, or (unless ``allow_gaps``) a current unit of the municipality is in no
    cluster. ``replace`` overwrites an existing clustering with the same code.
    """
    if unit_level not in ("WK", "BU"):
        raise DomainError(f"onbekend niveau {unit_level!r}: kies WK of BU")
    slug = slugify(slug or name)
    if not slug:
        raise DomainError("geef de indeling een naam")
    existing = Clustering.objects.filter(slug=slug).first()
    if existing is not None and not replace:
        raise DomainError(f"er bestaat al een indeling met code {slug}")

    parsed, problems = _parse_clustering_csv(data, source, unit_level)
    known = {a.code: a for a in Area.objects.filter(code__in=[c for _, c, _ in parsed])}
    first_line: dict[str, int] = {}
    for line, code, _cluster in parsed:
        if code not in known:
            problems.append(Problem(source=source, row=line, reason=f"{code} staat niet in het gebiedsregister"))
        elif code in first_line:
            problems.append(Problem(source=source, row=line, reason=f"{code} staat er al in (rij {first_line[code]})"))
        else:
            first_line[code] = line
    if not parsed and not problems:
        problems.append(Problem(source=source, reason="geen regels met gebiedscode en cluster gevonden"))
    gaps = sorted(
        Area.objects.current().filter(level=unit_level).exclude(code__in=list(first_line)).values_list("code", flat=True)
    )
    if gaps and not allow_gaps:
        problems.extend(Problem(source=source, reason=f"{code} ontbreekt: in geen enkel cluster") for code in gaps)
    if problems:
        raise ImportRejected(f"{source}: indeling niet ingelezen", problems=problems)

    if existing is not None:
        existing.delete()
    clustering = Clustering.objects.create(
        slug=slug,
        name=name,
        description=description,
        owner=owner,
        unit_level=unit_level,
        is_example=is_example,
        source=source[:300],
        created_at=now,
    )
    clusters: dict[str, Cluster] = {}
    members = []
    for _line, code, cluster_name in parsed:
        cluster = clusters.get(cluster_name)
        if cluster is None:
            cluster = Cluster.objects.create(clustering=clustering, name=cluster_name, position=len(clusters))
            clusters[cluster_name] = cluster
        members.append(ClusterMember(clustering=clustering, cluster=cluster, area=known[code]))
    ClusterMember.objects.bulk_create(members)
    record(
        actor=actor,
        action="clustering.replaced" if existing else "clustering.imported",
        obj=clustering,
        now=now,
        data={"source": source, "clusters": len(clusters), "units": len(members), "gaps": gaps},
    )
    return clustering


@transaction.atomic
def clustering_move_unit(*, clustering: Clustering, area: Area, cluster: Cluster | None, actor: Any, now: datetime) -> None:
    """Put a unit in another cluster (or in none, leaving a gap)."""
    if area.level != clustering.unit_level:
        raise DomainError(f"{area.code} is geen eenheid van deze indeling")
    if cluster is not None and cluster.clustering_id != clustering.pk:
        raise DomainError("dat cluster hoort bij een andere indeling")
    before = ClusterMember.objects.filter(clustering=clustering, area=area).select_related("cluster").first()
    old = before.cluster.name if before else None
    if before is not None:
        before.delete()
    if cluster is not None:
        ClusterMember.objects.create(clustering=clustering, cluster=cluster, area=area)
    record(actor=actor, action="clustering.unit_moved", obj=clustering, now=now,
           data={"unit": area.code, "from": old, "to": cluster.name if cluster else None})


@transaction.atomic
def assignment_set(
    *,
    role: str,
    actor: Any,
    now: datetime,
    area: Area | None = None,
    cluster: Cluster | None = None,
    person: Any = None,
    name: str = "",
    organisation: str = "",
    email: str = "",
    phone: str = "",
    public: bool = True,
) -> Assignment:
    assignment = Assignment(
        area=area, cluster=cluster, role=role, person=person, name=name,
        organisation=organisation, email=email, phone=phone, public=public,
    )
    assignment.full_clean()
    assignment.save()
    record(actor=actor, action="assignment.created", obj=assignment, now=now,
           data={"area": area.code if area else None, "cluster": cluster.pk if cluster else None, "role": role})
    return assignment
