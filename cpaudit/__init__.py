"""cpaudit: offline workbench for Cleaner Production (清洁生产审核) audits.

Single source of the application's name and version (build.spec imports them).
"""

APP_NAME = "cpaudit"
APP_ID = "org.cpaudit.cpaudit"
ORG = "cpaudit"
__version__ = "0.1.0"
