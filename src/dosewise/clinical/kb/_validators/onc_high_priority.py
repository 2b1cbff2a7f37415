# Generated from schema/onc_high_priority.schema.json by build_validators; do not edit.
# ruff: noqa
SCHEMA_SHA256 = 'c63000f6180a286b5feaa8746ada162f5e2c5f3e0524156296765d4650829537'
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^(explicit:[a-z0-9][a-z0-9\\-]*|derived:[a-z0-9][a-z0-9\\-]*|out-of-formulary)$': re.compile('^(explicit:[a-z0-9][a-z0-9\\-]*|derived:[a-z0-9][a-z0-9\\-]*|out-of-formulary)\\Z'),
    '^[a-z][a-z0-9 \\-/]*$': re.compile('^[a-z][a-z0-9 \\-/]*\\Z'),
    '^[a-z0-9\\-]+$': re.compile('^[a-z0-9\\-]+\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['source', 'pairs']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "source" in data_keys:
            data_keys.remove("source")
            data__source = data["source"]
            if not isinstance(data__source, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".source must be string")
            if isinstance(data__source, str):
                data__source_len = len(data__source)
                if data__source_len < 8:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".source must be longer than or equal to 8 characters")
        if "pairs" in data_keys:
            data_keys.remove("pairs")
            data__pairs = data["pairs"]
            if not isinstance(data__pairs, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".pairs must be array")
            data__pairs_is_list = isinstance(data__pairs, (list, tuple))
            if data__pairs_is_list:
                data__pairs_len = len(data__pairs)
                if data__pairs_len < 15:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".pairs must contain at least 15 items")
                if data__pairs_len > 15:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".pairs must contain less than or equal to 15 items")
                for data__pairs_x, data__pairs_item in enumerate(data__pairs):
                    if not isinstance(data__pairs_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".pairs[{data__pairs_x}]".format(**locals()) + " must be object")
                    data__pairs_item_is_dict = isinstance(data__pairs_item, dict)
                    if data__pairs_item_is_dict:
                        data__pairs_item__missing_keys = set(['pair', 'a', 'b', 'covered_by', 'example', 'note']) - data__pairs_item.keys()
                        if data__pairs_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".pairs[{data__pairs_x}]".format(**locals()) + " must contain ")
                        data__pairs_item_keys = set(data__pairs_item.keys())
                        if "pair" in data__pairs_item_keys:
                            data__pairs_item_keys.remove("pair")
                            data__pairs_item__pair = data__pairs_item["pair"]
                            if not isinstance(data__pairs_item__pair, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".pairs[{data__pairs_x}].pair".format(**locals()) + " must be string")
                            if isinstance(data__pairs_item__pair, str):
                                data__pairs_item__pair_len = len(data__pairs_item__pair)
                                if data__pairs_item__pair_len < 3:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".pairs[{data__pairs_x}].pair".format(**locals()) + " must be longer than or equal to 3 characters")
                        if "a" in data__pairs_item_keys:
                            data__pairs_item_keys.remove("a")
                            data__pairs_item__a = data__pairs_item["a"]
                            validate___definitions_selector(data__pairs_item__a, custom_formats, (name_prefix or "data") + ".pairs[{data__pairs_x}].a".format(**locals()))
                        if "b" in data__pairs_item_keys:
                            data__pairs_item_keys.remove("b")
                            data__pairs_item__b = data__pairs_item["b"]
                            validate___definitions_selector(data__pairs_item__b, custom_formats, (name_prefix or "data") + ".pairs[{data__pairs_x}].b".format(**locals()))
                        if "covered_by" in data__pairs_item_keys:
                            data__pairs_item_keys.remove("covered_by")
                            data__pairs_item__coveredby = data__pairs_item["covered_by"]
                            if not isinstance(data__pairs_item__coveredby, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".pairs[{data__pairs_x}].covered_by".format(**locals()) + " must be string")
                            if isinstance(data__pairs_item__coveredby, str):
                                if not REGEX_PATTERNS['^(explicit:[a-z0-9][a-z0-9\\-]*|derived:[a-z0-9][a-z0-9\\-]*|out-of-formulary)$'].search(data__pairs_item__coveredby):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".pairs[{data__pairs_x}].covered_by".format(**locals()) + " must match pattern ^(explicit:[a-z0-9][a-z0-9\\-]*|derived:[a-z0-9][a-z0-9\\-]*|out-of-formulary)$")
                        if "example" in data__pairs_item_keys:
                            data__pairs_item_keys.remove("example")
                            data__pairs_item__example = data__pairs_item["example"]
                            if not isinstance(data__pairs_item__example, (list, tuple)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".pairs[{data__pairs_x}].example".format(**locals()) + " must be array")
                            data__pairs_item__example_is_list = isinstance(data__pairs_item__example, (list, tuple))
                            if data__pairs_item__example_is_list:
                                data__pairs_item__example_len = len(data__pairs_item__example)
                                if data__pairs_item__example_len > 2:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".pairs[{data__pairs_x}].example".format(**locals()) + " must contain less than or equal to 2 items")
                                for data__pairs_item__example_x, data__pairs_item__example_item in enumerate(data__pairs_item__example):
                                    validate___definitions_name(data__pairs_item__example_item, custom_formats, (name_prefix or "data") + ".pairs[{data__pairs_x}].example[{data__pairs_item__example_x}]".format(**locals()))
                        if "note" in data__pairs_item_keys:
                            data__pairs_item_keys.remove("note")
                            data__pairs_item__note = data__pairs_item["note"]
                            if not isinstance(data__pairs_item__note, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".pairs[{data__pairs_x}].note".format(**locals()) + " must be string")
                        if data__pairs_item_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".pairs[{data__pairs_x}]".format(**locals()) + " must not contain "+str(data__pairs_item_keys)+" properties")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_name(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[a-z][a-z0-9 \\-/]*$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^[a-z][a-z0-9 \\-/]*$")
    return data

def validate___definitions_selector(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_len = len(data)
        if data_len < 1:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain at least 1 properties")
        data_keys = set(data.keys())
        if "drugs" in data_keys:
            data_keys.remove("drugs")
            data__drugs = data["drugs"]
            if not isinstance(data__drugs, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".drugs must be array")
            data__drugs_is_list = isinstance(data__drugs, (list, tuple))
            if data__drugs_is_list:
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                data__drugs_len = len(data__drugs)
                if data__drugs_len > len(set(fn(data__drugs_x) for data__drugs_x in data__drugs)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".drugs must contain unique items")
                for data__drugs_x, data__drugs_item in enumerate(data__drugs):
                    validate___definitions_name(data__drugs_item, custom_formats, (name_prefix or "data") + ".drugs[{data__drugs_x}]".format(**locals()))
        if "classes" in data_keys:
            data_keys.remove("classes")
            data__classes = data["classes"]
            if not isinstance(data__classes, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".classes must be array")
            data__classes_is_list = isinstance(data__classes, (list, tuple))
            if data__classes_is_list:
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                data__classes_len = len(data__classes)
                if data__classes_len > len(set(fn(data__classes_x) for data__classes_x in data__classes)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".classes must contain unique items")
                for data__classes_x, data__classes_item in enumerate(data__classes):
                    validate___definitions_class(data__classes_item, custom_formats, (name_prefix or "data") + ".classes[{data__classes_x}]".format(**locals()))
        if "except" in data_keys:
            data_keys.remove("except")
            data__except = data["except"]
            if not isinstance(data__except, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".except must be array")
            data__except_is_list = isinstance(data__except, (list, tuple))
            if data__except_is_list:
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                data__except_len = len(data__except)
                if data__except_len > len(set(fn(data__except_x) for data__except_x in data__except)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".except must contain unique items")
                for data__except_x, data__except_item in enumerate(data__except):
                    validate___definitions_name(data__except_item, custom_formats, (name_prefix or "data") + ".except[{data__except_x}]".format(**locals()))
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_class(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[a-z0-9\\-]+$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^[a-z0-9\\-]+$")
    return data