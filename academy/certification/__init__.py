"""Certification (pure): rules file, requirement kinds, statuses and issuing decisions.

Plain Python over frozen dataclasses, no framework and no database. The
service layer builds a `ContentIndex` from the published content, reads one
employee's `Evidence` and `IssuedCertificate` records, and calls `evaluate`
(what to show) or `due_certificates` (what to issue, in the same transaction
as the evidence). Format and rules: ``docs/certification.md``.
"""

from academy.certification.check import check_rules, content_index
from academy.certification.content import ContentIndex, ModuleInfo, ScenarioInfo
from academy.certification.evaluate import due_certificates, evaluate
from academy.certification.model import (
    CertificateStatus,
    ContentRef,
    Issue,
    IssuedCertificate,
    MissingItem,
    Reason,
    RequirementResult,
    Status,
)
from academy.certification.requirements import (
    REGISTRY,
    CertificatesHeld,
    DrillsPassed,
    EvalContext,
    Fields,
    ModulesCompleted,
    Observation,
    QuizzesPassed,
    Requirement,
)
from academy.certification.rules import (
    CertificateRule,
    Ruleset,
    load_rules,
    parse_rules,
    parse_rules_text,
)

__all__ = [
    "REGISTRY",
    "CertificateRule",
    "CertificateStatus",
    "CertificatesHeld",
    "ContentIndex",
    "ContentRef",
    "DrillsPassed",
    "EvalContext",
    "Fields",
    "Issue",
    "IssuedCertificate",
    "MissingItem",
    "ModuleInfo",
    "ModulesCompleted",
    "Observation",
    "QuizzesPassed",
    "Reason",
    "Requirement",
    "RequirementResult",
    "Ruleset",
    "ScenarioInfo",
    "Status",
    "check_rules",
    "content_index",
    "due_certificates",
    "evaluate",
    "load_rules",
    "parse_rules",
    "parse_rules_text",
]
