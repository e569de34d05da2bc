"""Pure calculation library for cpaudit (no Qt, no storage, no i18n).

Modules: ``economics`` (§4.1 feasibility chain), ``cost_class`` (§2.4),
``balance`` (§3 material and water balances, pollutant loads), ``energy``
(§4.3 tce conversion from a versioned factor table), ``scoring`` (§2.1/§2.5
weighted sums), ``targets`` (§2.2), ``env_benefit`` (§4.2), ``indicators``
(§5 sector indicator systems) and ``uscc`` (§10). Section numbers refer to
``cp-audit-reference.md``. Import the submodule you need; this package
imports nothing heavy on purpose.
"""
