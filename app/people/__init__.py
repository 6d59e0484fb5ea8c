"""The employee pages, one blueprint registered twice: for admins (every unit, every role) under
/admin/users and for HR (their own units, respondent and hr roles) under /hr/employees."""
