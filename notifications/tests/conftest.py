import pytest


@pytest.fixture(autouse=True)
def _notification_settings(settings, tmp_path):
    """SMS to files in this test's directory, a receipt secret, no quiet hours unless a test sets them."""
    settings.SMS_BACKEND = "notifications.sms.FileSmsBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms"
    settings.SMS_RECEIPT_SECRET = "test-receipt-secret"
    settings.NOTIFICATIONS_SMS_QUIET_HOURS = (0, 0)
    settings.NOTIFICATIONS_AGENCY_RATE_PER_MINUTE = 600
    settings.NOTIFICATIONS_QUEUE = ""
