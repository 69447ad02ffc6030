"""One contract class per port. Subclass it and provide the fixture its docstring names."""
