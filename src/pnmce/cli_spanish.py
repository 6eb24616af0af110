"""Click's own messages (unknown option, missing file, invalid value...) in Spanish.

Click marks its messages for gettext (`from gettext import gettext as _` in each module), but a
gettext catalogue would only apply under a Spanish locale of the user's machine. Instead the
`_`/`ngettext` names of Click's modules are pointed at this catalogue, so every user reads the
same Spanish whatever the locale. Messages not in the catalogue stay in English;
tests/test_cli.py checks the ones a user meets (a Click upgrade that rewords them shows there).
"""

from __future__ import annotations

import importlib

_MODULES = ("core", "exceptions", "parser", "types", "decorators", "formatting", "termui", "utils")

CATALOGUE = {
    "Error: {message}": "Error: {message}",
    "Try '{command} {option}' for help.": "Pruebe «{command} {option}» para ver la ayuda.",
    "Usage:": "Uso:",
    "Options": "Opciones",
    "Commands": "Comandos",
    "Show this message and exit.": "Muestra esta ayuda y sale.",
    "Show the version and exit.": "Muestra la versión y sale.",
    "Aborted!": "Cancelado.",
    "Missing command.": "Falta el comando.",
    "Invalid value: {message}": "Valor no válido: {message}",
    "Invalid value for {param_hint}: {message}": "Valor no válido para {param_hint}: {message}",
    "Missing argument": "Falta el argumento",
    "Missing option": "Falta la opción",
    "Missing parameter": "Falta el parámetro",
    "Missing {param_type}": "Falta {param_type}",
    "Missing parameter: {param_name}": "Falta el parámetro: {param_name}",
    "No such option: {name}": "No existe la opción {name}",
    "No such option {name!r}.": "No existe la opción «{name}».",
    "No such command {name!r}.": "No existe el comando «{name}».",
    "Option {name!r} does not take a value.": "La opción «{name}» no lleva valor.",
    "{value!r} is not a valid {number_type}.": "«{value}» no es {number_type} válido.",
    "{value} is not in the range {range}.": "{value} no está en el intervalo {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "«{value}» no es un valor lógico válido. Valores admitidos: {states}",
    "file": "archivo",
    "directory": "carpeta",
    "path": "ruta",
    "{name} {filename!r} does not exist.": "{name} «{filename}» no existe.",
    "{name} {filename!r} is a file.": "{name} «{filename}» es un archivo.",
    "{name} {filename!r} is a directory.": "{name} «{filename}» es una carpeta.",
    "{name} {filename!r} is not readable.": "{name} «{filename}» no se puede leer.",
    "{name} {filename!r} is not writable.": "{name} «{filename}» no se puede escribir.",
    "Could not open file {filename!r}: {message}": "No se pudo abrir el archivo «{filename}»: {message}",
    "unknown error": "error desconocido",
}

PLURALS = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("Argumento adicional no esperado ({args})", "Argumentos adicionales no esperados ({args})"),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("¿Quiso decir {possibility}?", "(¿Quiso decir alguno de: {possibilities}?)"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("La opción «{name}» requiere un valor.", "La opción «{name}» requiere {nargs} valores."),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("«{value}» no es {choice}.", "«{value}» no es uno de {choices}."),
}

# Names Click puts into its messages from class attributes (not marked for translation).
_WORDS = {"integer": "un número entero", "float": "un número", "integer range": "un número entero",
          "float range": "un número", "boolean": "un valor lógico"}


class _Message(str):
    """A translated format string that also translates the type names Click fills in."""

    def format(self, *args, **kwargs):
        kwargs = {k: _WORDS.get(v, v) if k == "number_type" and isinstance(v, str) else v
                  for k, v in kwargs.items()}
        return super().format(*args, **kwargs)


def gettext(message: str) -> str:
    return _Message(CATALOGUE.get(message, message))


def ngettext(singular: str, plural: str, n: int) -> str:
    one, many = PLURALS.get((singular, plural), (singular, plural))
    return _Message(one if n == 1 else many)


def install() -> None:
    """Point Click's translation functions at the Spanish catalogue (idempotent).

    Must run before the commands are declared: some words (e.g. «archivo» of click.Path) are
    translated when a parameter type is created.
    """
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
