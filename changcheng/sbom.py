"""A CycloneDX JSON SBOM (1.5 or 1.6) of the dependencies a deps scan found, built with
cyclonedx-python-lib (which also owns the schema: the tests validate against the official one).

One component per package and version (a package found in several files is one component, with every
``file:line`` in its ``hucheng:location`` properties); an unpinned dependency is a component without
a version, with its range in ``hucheng:specifier``.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

from changcheng.advisories.names import normalize_name
from changcheng.deps.model import Dependency, Ecosystem
from hucheng import __version__

if TYPE_CHECKING:
    from cyclonedx.model.bom import Bom

_PURL_TYPES = {Ecosystem.PYPI: "pypi", Ecosystem.NPM: "npm"}


class SpecVersion(StrEnum):
    V1_5 = "1.5"
    V1_6 = "1.6"


def build_bom(dependencies: Sequence[Dependency], *, project: str = "project") -> Bom:
    from cyclonedx.model import Property
    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component, ComponentType
    from packageurl import PackageURL

    bom = Bom()
    root = Component(name=project, type=ComponentType.APPLICATION, bom_ref="project")
    bom.metadata.component = root
    bom.metadata.tools.components.add(
        Component(name="hucheng-changcheng", version=__version__, type=ComponentType.APPLICATION)
    )
    grouped: dict[tuple[str, str, str], list[Dependency]] = {}
    for dep in dependencies:
        key = (str(dep.ecosystem), normalize_name(dep.ecosystem, dep.name), dep.version or "")
        grouped.setdefault(key, []).append(dep)
    components = []
    for (eco, name, version), deps in sorted(grouped.items()):
        npm_scope, _, npm_name = name.rpartition("/") if eco == "npm" else ("", "", name)
        purl = PackageURL(
            type=_PURL_TYPES[Ecosystem(eco)],
            namespace=npm_scope or None,
            name=npm_name,
            version=version or None,
        )
        props = [Property(name="hucheng:location", value=_where(d)) for d in deps]
        props += [
            Property(name="hucheng:specifier", value=s) for s in sorted({d.specifier for d in deps} - {""})
        ]
        props += [Property(name="hucheng:source", value=s) for s in sorted({d.source for d in deps})]
        components.append(
            Component(
                name=deps[0].name,
                version=version or None,
                type=ComponentType.LIBRARY,
                purl=purl,
                bom_ref=str(purl),
                properties=props,
            )
        )
    for component in components:
        bom.components.add(component)
    bom.register_dependency(root, components)
    return bom


def render_bom(bom: Bom, spec: SpecVersion = SpecVersion.V1_6) -> str:
    from cyclonedx.output.json import JsonV1Dot5, JsonV1Dot6

    writer = JsonV1Dot6 if spec is SpecVersion.V1_6 else JsonV1Dot5
    return writer(bom).output_as_string(indent=2) + "\n"


def _where(dep: Dependency) -> str:
    return f"{dep.file}:{dep.line}" if dep.line else dep.file
