"""People: users, roles, departments, passwords and the services that change them."""
