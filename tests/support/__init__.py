"""What the tests import: the data they own, rows and files built in code, mail and web servers,
the browser, and (for the few tests whose subject they are) the product's own files."""
