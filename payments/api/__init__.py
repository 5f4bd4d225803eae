"""The payments API for the payee agencies' finance systems: invoices and the payments they report."""
