# Generated from schema/equivalence.schema.json by build_validators; do not edit.
# ruff: noqa
SCHEMA_SHA256 = 'ef8b7aa01a13b4aaced6a056c66c315d938825e3ed2e822f5167e03c8de99c8a'
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[a-z][a-z0-9]*$': re.compile('^[a-z][a-z0-9]*\\Z'),
    '^[a-z0-9\\-]+$': re.compile('^[a-z0-9\\-]+\\Z'),
    '^[a-z][a-z0-9 \\-/]*$': re.compile('^[a-z][a-z0-9 \\-/]*\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['warning', 'tables']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "warning" in data_keys:
            data_keys.remove("warning")
            data__warning = data["warning"]
            if not isinstance(data__warning, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".warning must be string")
            if isinstance(data__warning, str):
                data__warning_len = len(data__warning)
                if data__warning_len < 20:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".warning must be longer than or equal to 20 characters")
        if "tables" in data_keys:
            data_keys.remove("tables")
            data__tables = data["tables"]
            if not isinstance(data__tables, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables must be array")
            data__tables_is_list = isinstance(data__tables, (list, tuple))
            if data__tables_is_list:
                data__tables_len = len(data__tables)
                if data__tables_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables must contain at least 1 items")
                for data__tables_x, data__tables_item in enumerate(data__tables):
                    if not isinstance(data__tables_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}]".format(**locals()) + " must be object")
                    data__tables_item_is_dict = isinstance(data__tables_item, dict)
                    if data__tables_item_is_dict:
                        data__tables_item__missing_keys = set(['name', 'title', 'drug_class', 'reference', 'entries', 'source']) - data__tables_item.keys()
                        if data__tables_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}]".format(**locals()) + " must contain ")
                        data__tables_item_keys = set(data__tables_item.keys())
                        if "name" in data__tables_item_keys:
                            data__tables_item_keys.remove("name")
                            data__tables_item__name = data__tables_item["name"]
                            if not isinstance(data__tables_item__name, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}].name".format(**locals()) + " must be string")
                            if isinstance(data__tables_item__name, str):
                                if not REGEX_PATTERNS['^[a-z][a-z0-9]*$'].search(data__tables_item__name):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}].name".format(**locals()) + " must match pattern ^[a-z][a-z0-9]*$")
                        if "title" in data__tables_item_keys:
                            data__tables_item_keys.remove("title")
                            data__tables_item__title = data__tables_item["title"]
                            if not isinstance(data__tables_item__title, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}].title".format(**locals()) + " must be string")
                        if "drug_class" in data__tables_item_keys:
                            data__tables_item_keys.remove("drug_class")
                            data__tables_item__drugclass = data__tables_item["drug_class"]
                            if not isinstance(data__tables_item__drugclass, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}].drug_class".format(**locals()) + " must be string")
                            if isinstance(data__tables_item__drugclass, str):
                                if not REGEX_PATTERNS['^[a-z0-9\\-]+$'].search(data__tables_item__drugclass):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}].drug_class".format(**locals()) + " must match pattern ^[a-z0-9\\-]+$")
                        if "reference" in data__tables_item_keys:
                            data__tables_item_keys.remove("reference")
                            data__tables_item__reference = data__tables_item["reference"]
                            if not isinstance(data__tables_item__reference, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}].reference".format(**locals()) + " must be string")
                        if "note" in data__tables_item_keys:
                            data__tables_item_keys.remove("note")
                            data__tables_item__note = data__tables_item["note"]
                            if not isinstance(data__tables_item__note, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}].note".format(**locals()) + " must be string")
                        if "entries" in data__tables_item_keys:
                            data__tables_item_keys.remove("entries")
                            data__tables_item__entries = data__tables_item["entries"]
                            if not isinstance(data__tables_item__entries, (list, tuple)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}].entries".format(**locals()) + " must be array")
                            data__tables_item__entries_is_list = isinstance(data__tables_item__entries, (list, tuple))
                            if data__tables_item__entries_is_list:
                                data__tables_item__entries_len = len(data__tables_item__entries)
                                if data__tables_item__entries_len < 2:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}].entries".format(**locals()) + " must contain at least 2 items")
                                for data__tables_item__entries_x, data__tables_item__entries_item in enumerate(data__tables_item__entries):
                                    if not isinstance(data__tables_item__entries_item, (dict)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}].entries[{data__tables_item__entries_x}]".format(**locals()) + " must be object")
                                    data__tables_item__entries_item_is_dict = isinstance(data__tables_item__entries_item, dict)
                                    if data__tables_item__entries_item_is_dict:
                                        data__tables_item__entries_item__missing_keys = set(['drug', 'dose_mg']) - data__tables_item__entries_item.keys()
                                        if data__tables_item__entries_item__missing_keys:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}].entries[{data__tables_item__entries_x}]".format(**locals()) + " must contain ")
                                        data__tables_item__entries_item_keys = set(data__tables_item__entries_item.keys())
                                        if "drug" in data__tables_item__entries_item_keys:
                                            data__tables_item__entries_item_keys.remove("drug")
                                            data__tables_item__entries_item__drug = data__tables_item__entries_item["drug"]
                                            validate___definitions_name(data__tables_item__entries_item__drug, custom_formats, (name_prefix or "data") + ".tables[{data__tables_x}].entries[{data__tables_item__entries_x}].drug".format(**locals()))
                                        if "dose_mg" in data__tables_item__entries_item_keys:
                                            data__tables_item__entries_item_keys.remove("dose_mg")
                                            data__tables_item__entries_item__dosemg = data__tables_item__entries_item["dose_mg"]
                                            if not isinstance(data__tables_item__entries_item__dosemg, (int, float, Decimal)) or isinstance(data__tables_item__entries_item__dosemg, bool):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}].entries[{data__tables_item__entries_x}].dose_mg".format(**locals()) + " must be number")
                                            if isinstance(data__tables_item__entries_item__dosemg, (int, float, Decimal)) and not isinstance(data__tables_item__entries_item__dosemg, bool):
                                                if data__tables_item__entries_item__dosemg <= 0:
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}].entries[{data__tables_item__entries_x}].dose_mg".format(**locals()) + " must be bigger than 0")
                                        if data__tables_item__entries_item_keys:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}].entries[{data__tables_item__entries_x}]".format(**locals()) + " must not contain "+str(data__tables_item__entries_item_keys)+" properties")
                        if "source" in data__tables_item_keys:
                            data__tables_item_keys.remove("source")
                            data__tables_item__source = data__tables_item["source"]
                            validate___definitions_source(data__tables_item__source, custom_formats, (name_prefix or "data") + ".tables[{data__tables_x}].source".format(**locals()))
                        if data__tables_item_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}]".format(**locals()) + " must not contain "+str(data__tables_item_keys)+" properties")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_source(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        data_len = len(data)
        if data_len < 8:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be longer than or equal to 8 characters")
    return data

def validate___definitions_name(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[a-z][a-z0-9 \\-/]*$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^[a-z][a-z0-9 \\-/]*$")
    return data