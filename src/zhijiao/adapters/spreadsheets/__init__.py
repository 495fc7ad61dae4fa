"""Spreadsheets at the edge: reading outcome files (.xlsx, .csv), writing the template and exports."""
