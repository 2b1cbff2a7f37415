# Generated from schema/monitoring.schema.json by build_validators; do not edit.
# ruff: noqa
SCHEMA_SHA256 = '876f184434c74fcb0ddfcff429fe20337c148ca641c2944a00743e8cceb58b67'
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[a-z0-9\\-]+$': re.compile('^[a-z0-9\\-]+\\Z'),
    '^[a-z][a-z0-9 \\-/]*$': re.compile('^[a-z][a-z0-9 \\-/]*\\Z'),
    '^[a-z][a-z0-9\\-]*$': re.compile('^[a-z][a-z0-9\\-]*\\Z'),
    '^[0-9]{1,7}-[0-9]$': re.compile('^[0-9]{1,7}-[0-9]\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['tests', 'rules', 'interpretations']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "tests" in data_keys:
            data_keys.remove("tests")
            data__tests = data["tests"]
            if not isinstance(data__tests, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tests must be object")
            data__tests_is_dict = isinstance(data__tests, dict)
            if data__tests_is_dict:
                data__tests_len = len(data__tests)
                if data__tests_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".tests must contain at least 1 properties")
                data__tests_keys = set(data__tests.keys())
                for data__tests_key in data__tests_keys:
                    if data__tests_key not in []:
                        data__tests_value = data__tests.get(data__tests_key)
                        if not isinstance(data__tests_value, (dict)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".tests.{data__tests_key}".format(**locals()) + " must be object")
                        data__tests_value_is_dict = isinstance(data__tests_value, dict)
                        if data__tests_value_is_dict:
                            data__tests_value__missing_keys = set(['name', 'loinc']) - data__tests_value.keys()
                            if data__tests_value__missing_keys:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tests.{data__tests_key}".format(**locals()) + " must contain ")
                            data__tests_value_keys = set(data__tests_value.keys())
                            if "name" in data__tests_value_keys:
                                data__tests_value_keys.remove("name")
                                data__tests_value__name = data__tests_value["name"]
                                if not isinstance(data__tests_value__name, (str)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".tests.{data__tests_key}.name".format(**locals()) + " must be string")
                                if isinstance(data__tests_value__name, str):
                                    data__tests_value__name_len = len(data__tests_value__name)
                                    if data__tests_value__name_len < 2:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".tests.{data__tests_key}.name".format(**locals()) + " must be longer than or equal to 2 characters")
                            if "loinc" in data__tests_value_keys:
                                data__tests_value_keys.remove("loinc")
                                data__tests_value__loinc = data__tests_value["loinc"]
                                validate___definitions_loinc(data__tests_value__loinc, custom_formats, (name_prefix or "data") + ".tests.{data__tests_key}.loinc".format(**locals()))
                            if "components" in data__tests_value_keys:
                                data__tests_value_keys.remove("components")
                                data__tests_value__components = data__tests_value["components"]
                                if not isinstance(data__tests_value__components, (list, tuple)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".tests.{data__tests_key}.components".format(**locals()) + " must be array")
                                data__tests_value__components_is_list = isinstance(data__tests_value__components, (list, tuple))
                                if data__tests_value__components_is_list:
                                    data__tests_value__components_len = len(data__tests_value__components)
                                    if data__tests_value__components_len < 1:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".tests.{data__tests_key}.components".format(**locals()) + " must contain at least 1 items")
                                    for data__tests_value__components_x, data__tests_value__components_item in enumerate(data__tests_value__components):
                                        validate___definitions_coded(data__tests_value__components_item, custom_formats, (name_prefix or "data") + ".tests.{data__tests_key}.components[{data__tests_value__components_x}]".format(**locals()))
                            if "alternatives" in data__tests_value_keys:
                                data__tests_value_keys.remove("alternatives")
                                data__tests_value__alternatives = data__tests_value["alternatives"]
                                if not isinstance(data__tests_value__alternatives, (list, tuple)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".tests.{data__tests_key}.alternatives".format(**locals()) + " must be array")
                                data__tests_value__alternatives_is_list = isinstance(data__tests_value__alternatives, (list, tuple))
                                if data__tests_value__alternatives_is_list:
                                    data__tests_value__alternatives_len = len(data__tests_value__alternatives)
                                    if data__tests_value__alternatives_len < 1:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".tests.{data__tests_key}.alternatives".format(**locals()) + " must contain at least 1 items")
                                    for data__tests_value__alternatives_x, data__tests_value__alternatives_item in enumerate(data__tests_value__alternatives):
                                        validate___definitions_coded(data__tests_value__alternatives_item, custom_formats, (name_prefix or "data") + ".tests.{data__tests_key}.alternatives[{data__tests_value__alternatives_x}]".format(**locals()))
                            if "sampling" in data__tests_value_keys:
                                data__tests_value_keys.remove("sampling")
                                data__tests_value__sampling = data__tests_value["sampling"]
                                if not isinstance(data__tests_value__sampling, (str)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".tests.{data__tests_key}.sampling".format(**locals()) + " must be string")
                                if isinstance(data__tests_value__sampling, str):
                                    data__tests_value__sampling_len = len(data__tests_value__sampling)
                                    if data__tests_value__sampling_len < 3:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".tests.{data__tests_key}.sampling".format(**locals()) + " must be longer than or equal to 3 characters")
                            if data__tests_value_keys:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tests.{data__tests_key}".format(**locals()) + " must not contain "+str(data__tests_value_keys)+" properties")
                if data__tests_len != 0:
                    data__tests_property_names = True
                    for data__tests_key in data__tests:
                        try:
                            validate___definitions_key(data__tests_key, custom_formats, (name_prefix or "data") + ".tests")
                        except (JsonSchemaValueException, JsonSchemaValuesException):
                            data__tests_property_names = False
                    if not data__tests_property_names:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".tests must be named by propertyName definition")
        if "rules" in data_keys:
            data_keys.remove("rules")
            data__rules = data["rules"]
            if not isinstance(data__rules, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules must be array")
            data__rules_is_list = isinstance(data__rules, (list, tuple))
            if data__rules_is_list:
                data__rules_len = len(data__rules)
                if data__rules_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules must contain at least 1 items")
                for data__rules_x, data__rules_item in enumerate(data__rules):
                    if not isinstance(data__rules_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " must be object")
                    data__rules_item_one_of_count1 = 0
                    if data__rules_item_one_of_count1 < 2:
                        try:
                            try:
                                data__rules_item_any_of_count2 = 0
                                if not data__rules_item_any_of_count2:
                                    try:
                                        data__rules_item_is_dict = isinstance(data__rules_item, dict)
                                        if data__rules_item_is_dict:
                                            data__rules_item__missing_keys = set(['drugs']) - data__rules_item.keys()
                                            if data__rules_item__missing_keys:
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " must contain ")
                                        data__rules_item_any_of_count2 += 1
                                    except (JsonSchemaValueException, JsonSchemaValuesException): pass
                                if not data__rules_item_any_of_count2:
                                    try:
                                        data__rules_item_is_dict = isinstance(data__rules_item, dict)
                                        if data__rules_item_is_dict:
                                            data__rules_item__missing_keys = set(['classes']) - data__rules_item.keys()
                                            if data__rules_item__missing_keys:
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " must contain ")
                                        data__rules_item_any_of_count2 += 1
                                    except (JsonSchemaValueException, JsonSchemaValuesException): pass
                                if not data__rules_item_any_of_count2:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " cannot be validated by any definition")
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            else:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " must NOT match a disallowed definition")
                            data__rules_item_is_dict = isinstance(data__rules_item, dict)
                            if data__rules_item_is_dict:
                                data__rules_item__missing_keys = set(['combination']) - data__rules_item.keys()
                                if data__rules_item__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " must contain ")
                            data__rules_item_one_of_count1 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__rules_item_one_of_count1 < 2:
                        try:
                            try:
                                data__rules_item_is_dict = isinstance(data__rules_item, dict)
                                if data__rules_item_is_dict:
                                    data__rules_item__missing_keys = set(['combination']) - data__rules_item.keys()
                                    if data__rules_item__missing_keys:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " must contain ")
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            else:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " must NOT match a disallowed definition")
                            data__rules_item_is_dict = isinstance(data__rules_item, dict)
                            if data__rules_item_is_dict:
                                data__rules_item__missing_keys = set(['drugs']) - data__rules_item.keys()
                                if data__rules_item__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " must contain ")
                            data__rules_item_one_of_count1 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__rules_item_one_of_count1 < 2:
                        try:
                            try:
                                data__rules_item_any_of_count3 = 0
                                if not data__rules_item_any_of_count3:
                                    try:
                                        data__rules_item_is_dict = isinstance(data__rules_item, dict)
                                        if data__rules_item_is_dict:
                                            data__rules_item__missing_keys = set(['combination']) - data__rules_item.keys()
                                            if data__rules_item__missing_keys:
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " must contain ")
                                        data__rules_item_any_of_count3 += 1
                                    except (JsonSchemaValueException, JsonSchemaValuesException): pass
                                if not data__rules_item_any_of_count3:
                                    try:
                                        data__rules_item_is_dict = isinstance(data__rules_item, dict)
                                        if data__rules_item_is_dict:
                                            data__rules_item__missing_keys = set(['drugs']) - data__rules_item.keys()
                                            if data__rules_item__missing_keys:
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " must contain ")
                                        data__rules_item_any_of_count3 += 1
                                    except (JsonSchemaValueException, JsonSchemaValuesException): pass
                                if not data__rules_item_any_of_count3:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " cannot be validated by any definition")
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            else:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " must NOT match a disallowed definition")
                            data__rules_item_is_dict = isinstance(data__rules_item, dict)
                            if data__rules_item_is_dict:
                                data__rules_item__missing_keys = set(['classes']) - data__rules_item.keys()
                                if data__rules_item__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " must contain ")
                            data__rules_item_one_of_count1 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__rules_item_one_of_count1 != 1:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " must be valid exactly by one definition")
                    data__rules_item_is_dict = isinstance(data__rules_item, dict)
                    if data__rules_item_is_dict:
                        data__rules_item__missing_keys = set(['id', 'test', 'schedule', 'reason', 'sources']) - data__rules_item.keys()
                        if data__rules_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " must contain ")
                        data__rules_item_keys = set(data__rules_item.keys())
                        if "id" in data__rules_item_keys:
                            data__rules_item_keys.remove("id")
                            data__rules_item__id = data__rules_item["id"]
                            validate___definitions_key(data__rules_item__id, custom_formats, (name_prefix or "data") + ".rules[{data__rules_x}].id".format(**locals()))
                        if "drugs" in data__rules_item_keys:
                            data__rules_item_keys.remove("drugs")
                            data__rules_item__drugs = data__rules_item["drugs"]
                            if not isinstance(data__rules_item__drugs, (list, tuple)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].drugs".format(**locals()) + " must be array")
                            data__rules_item__drugs_is_list = isinstance(data__rules_item__drugs, (list, tuple))
                            if data__rules_item__drugs_is_list:
                                data__rules_item__drugs_len = len(data__rules_item__drugs)
                                if data__rules_item__drugs_len < 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].drugs".format(**locals()) + " must contain at least 1 items")
                                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                                if data__rules_item__drugs_len > len(set(fn(data__rules_item__drugs_x) for data__rules_item__drugs_x in data__rules_item__drugs)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].drugs".format(**locals()) + " must contain unique items")
                                for data__rules_item__drugs_x, data__rules_item__drugs_item in enumerate(data__rules_item__drugs):
                                    validate___definitions_name(data__rules_item__drugs_item, custom_formats, (name_prefix or "data") + ".rules[{data__rules_x}].drugs[{data__rules_item__drugs_x}]".format(**locals()))
                        if "classes" in data__rules_item_keys:
                            data__rules_item_keys.remove("classes")
                            data__rules_item__classes = data__rules_item["classes"]
                            if not isinstance(data__rules_item__classes, (list, tuple)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].classes".format(**locals()) + " must be array")
                            data__rules_item__classes_is_list = isinstance(data__rules_item__classes, (list, tuple))
                            if data__rules_item__classes_is_list:
                                data__rules_item__classes_len = len(data__rules_item__classes)
                                if data__rules_item__classes_len < 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].classes".format(**locals()) + " must contain at least 1 items")
                                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                                if data__rules_item__classes_len > len(set(fn(data__rules_item__classes_x) for data__rules_item__classes_x in data__rules_item__classes)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].classes".format(**locals()) + " must contain unique items")
                                for data__rules_item__classes_x, data__rules_item__classes_item in enumerate(data__rules_item__classes):
                                    validate___definitions_class(data__rules_item__classes_item, custom_formats, (name_prefix or "data") + ".rules[{data__rules_x}].classes[{data__rules_item__classes_x}]".format(**locals()))
                        if "except" in data__rules_item_keys:
                            data__rules_item_keys.remove("except")
                            data__rules_item__except = data__rules_item["except"]
                            if not isinstance(data__rules_item__except, (list, tuple)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].except".format(**locals()) + " must be array")
                            data__rules_item__except_is_list = isinstance(data__rules_item__except, (list, tuple))
                            if data__rules_item__except_is_list:
                                data__rules_item__except_len = len(data__rules_item__except)
                                if data__rules_item__except_len < 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].except".format(**locals()) + " must contain at least 1 items")
                                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                                if data__rules_item__except_len > len(set(fn(data__rules_item__except_x) for data__rules_item__except_x in data__rules_item__except)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].except".format(**locals()) + " must contain unique items")
                                for data__rules_item__except_x, data__rules_item__except_item in enumerate(data__rules_item__except):
                                    validate___definitions_name(data__rules_item__except_item, custom_formats, (name_prefix or "data") + ".rules[{data__rules_x}].except[{data__rules_item__except_x}]".format(**locals()))
                        if "combination" in data__rules_item_keys:
                            data__rules_item_keys.remove("combination")
                            data__rules_item__combination = data__rules_item["combination"]
                            if not isinstance(data__rules_item__combination, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].combination".format(**locals()) + " must be object")
                            data__rules_item__combination_is_dict = isinstance(data__rules_item__combination, dict)
                            if data__rules_item__combination_is_dict:
                                data__rules_item__combination__missing_keys = set(['property', 'levels', 'min_count']) - data__rules_item__combination.keys()
                                if data__rules_item__combination__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].combination".format(**locals()) + " must contain ")
                                data__rules_item__combination_keys = set(data__rules_item__combination.keys())
                                if "property" in data__rules_item__combination_keys:
                                    data__rules_item__combination_keys.remove("property")
                                    data__rules_item__combination__property = data__rules_item__combination["property"]
                                    if not isinstance(data__rules_item__combination__property, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].combination.property".format(**locals()) + " must be string")
                                    if isinstance(data__rules_item__combination__property, str):
                                        data__rules_item__combination__property_len = len(data__rules_item__combination__property)
                                        if data__rules_item__combination__property_len < 2:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].combination.property".format(**locals()) + " must be longer than or equal to 2 characters")
                                if "levels" in data__rules_item__combination_keys:
                                    data__rules_item__combination_keys.remove("levels")
                                    data__rules_item__combination__levels = data__rules_item__combination["levels"]
                                    if not isinstance(data__rules_item__combination__levels, (list, tuple)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].combination.levels".format(**locals()) + " must be array")
                                    data__rules_item__combination__levels_is_list = isinstance(data__rules_item__combination__levels, (list, tuple))
                                    if data__rules_item__combination__levels_is_list:
                                        data__rules_item__combination__levels_len = len(data__rules_item__combination__levels)
                                        if data__rules_item__combination__levels_len < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].combination.levels".format(**locals()) + " must contain at least 1 items")
                                        def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                                        if data__rules_item__combination__levels_len > len(set(fn(data__rules_item__combination__levels_x) for data__rules_item__combination__levels_x in data__rules_item__combination__levels)):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].combination.levels".format(**locals()) + " must contain unique items")
                                        for data__rules_item__combination__levels_x, data__rules_item__combination__levels_item in enumerate(data__rules_item__combination__levels):
                                            if not isinstance(data__rules_item__combination__levels_item, (str)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].combination.levels[{data__rules_item__combination__levels_x}]".format(**locals()) + " must be string")
                                if "min_count" in data__rules_item__combination_keys:
                                    data__rules_item__combination_keys.remove("min_count")
                                    data__rules_item__combination__mincount = data__rules_item__combination["min_count"]
                                    if not isinstance(data__rules_item__combination__mincount, (int)) and not (isinstance(data__rules_item__combination__mincount, float) and data__rules_item__combination__mincount.is_integer()) or isinstance(data__rules_item__combination__mincount, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].combination.min_count".format(**locals()) + " must be integer")
                                    if isinstance(data__rules_item__combination__mincount, (int, float, Decimal)) and not isinstance(data__rules_item__combination__mincount, bool):
                                        if data__rules_item__combination__mincount < 2:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].combination.min_count".format(**locals()) + " must be bigger than or equal to 2")
                                if data__rules_item__combination_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].combination".format(**locals()) + " must not contain "+str(data__rules_item__combination_keys)+" properties")
                        if "age" in data__rules_item_keys:
                            data__rules_item_keys.remove("age")
                            data__rules_item__age = data__rules_item["age"]
                            if not isinstance(data__rules_item__age, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].age".format(**locals()) + " must be object")
                            data__rules_item__age_is_dict = isinstance(data__rules_item__age, dict)
                            if data__rules_item__age_is_dict:
                                data__rules_item__age_len = len(data__rules_item__age)
                                if data__rules_item__age_len < 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].age".format(**locals()) + " must contain at least 1 properties")
                                data__rules_item__age_keys = set(data__rules_item__age.keys())
                                if "min" in data__rules_item__age_keys:
                                    data__rules_item__age_keys.remove("min")
                                    data__rules_item__age__min = data__rules_item__age["min"]
                                    if not isinstance(data__rules_item__age__min, (int, float, Decimal)) or isinstance(data__rules_item__age__min, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].age.min".format(**locals()) + " must be number")
                                    if isinstance(data__rules_item__age__min, (int, float, Decimal)) and not isinstance(data__rules_item__age__min, bool):
                                        if data__rules_item__age__min < 0:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].age.min".format(**locals()) + " must be bigger than or equal to 0")
                                if "below" in data__rules_item__age_keys:
                                    data__rules_item__age_keys.remove("below")
                                    data__rules_item__age__below = data__rules_item__age["below"]
                                    if not isinstance(data__rules_item__age__below, (int, float, Decimal)) or isinstance(data__rules_item__age__below, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].age.below".format(**locals()) + " must be number")
                                    if isinstance(data__rules_item__age__below, (int, float, Decimal)) and not isinstance(data__rules_item__age__below, bool):
                                        if data__rules_item__age__below < 0:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].age.below".format(**locals()) + " must be bigger than or equal to 0")
                                if data__rules_item__age_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].age".format(**locals()) + " must not contain "+str(data__rules_item__age_keys)+" properties")
                        if "test" in data__rules_item_keys:
                            data__rules_item_keys.remove("test")
                            data__rules_item__test = data__rules_item["test"]
                            validate___definitions_key(data__rules_item__test, custom_formats, (name_prefix or "data") + ".rules[{data__rules_x}].test".format(**locals()))
                        if "schedule" in data__rules_item_keys:
                            data__rules_item_keys.remove("schedule")
                            data__rules_item__schedule = data__rules_item["schedule"]
                            validate___definitions_schedule(data__rules_item__schedule, custom_formats, (name_prefix or "data") + ".rules[{data__rules_x}].schedule".format(**locals()))
                        if "reason" in data__rules_item_keys:
                            data__rules_item_keys.remove("reason")
                            data__rules_item__reason = data__rules_item["reason"]
                            if not isinstance(data__rules_item__reason, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].reason".format(**locals()) + " must be string")
                            if isinstance(data__rules_item__reason, str):
                                data__rules_item__reason_len = len(data__rules_item__reason)
                                if data__rules_item__reason_len < 10:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].reason".format(**locals()) + " must be longer than or equal to 10 characters")
                        if "note" in data__rules_item_keys:
                            data__rules_item_keys.remove("note")
                            data__rules_item__note = data__rules_item["note"]
                            if not isinstance(data__rules_item__note, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].note".format(**locals()) + " must be string")
                            if isinstance(data__rules_item__note, str):
                                data__rules_item__note_len = len(data__rules_item__note)
                                if data__rules_item__note_len < 10:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}].note".format(**locals()) + " must be longer than or equal to 10 characters")
                        if "sources" in data__rules_item_keys:
                            data__rules_item_keys.remove("sources")
                            data__rules_item__sources = data__rules_item["sources"]
                            validate___definitions_sources(data__rules_item__sources, custom_formats, (name_prefix or "data") + ".rules[{data__rules_x}].sources".format(**locals()))
                        if data__rules_item_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".rules[{data__rules_x}]".format(**locals()) + " must not contain "+str(data__rules_item_keys)+" properties")
        if "interpretations" in data_keys:
            data_keys.remove("interpretations")
            data__interpretations = data["interpretations"]
            if not isinstance(data__interpretations, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations must be object")
            data__interpretations_is_dict = isinstance(data__interpretations, dict)
            if data__interpretations_is_dict:
                data__interpretations_keys = set(data__interpretations.keys())
                for data__interpretations_key in data__interpretations_keys:
                    if data__interpretations_key not in []:
                        data__interpretations_value = data__interpretations.get(data__interpretations_key)
                        if not isinstance(data__interpretations_value, (dict)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}".format(**locals()) + " must be object")
                        data__interpretations_value_is_dict = isinstance(data__interpretations_value, dict)
                        if data__interpretations_value_is_dict:
                            data__interpretations_value__missing_keys = set(['name', 'unit', 'units', 'bands', 'sources']) - data__interpretations_value.keys()
                            if data__interpretations_value__missing_keys:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}".format(**locals()) + " must contain ")
                            data__interpretations_value_keys = set(data__interpretations_value.keys())
                            if "name" in data__interpretations_value_keys:
                                data__interpretations_value_keys.remove("name")
                                data__interpretations_value__name = data__interpretations_value["name"]
                                if not isinstance(data__interpretations_value__name, (str)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.name".format(**locals()) + " must be string")
                                if isinstance(data__interpretations_value__name, str):
                                    data__interpretations_value__name_len = len(data__interpretations_value__name)
                                    if data__interpretations_value__name_len < 2:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.name".format(**locals()) + " must be longer than or equal to 2 characters")
                            if "unit" in data__interpretations_value_keys:
                                data__interpretations_value_keys.remove("unit")
                                data__interpretations_value__unit = data__interpretations_value["unit"]
                                if not isinstance(data__interpretations_value__unit, (str)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.unit".format(**locals()) + " must be string")
                                if isinstance(data__interpretations_value__unit, str):
                                    data__interpretations_value__unit_len = len(data__interpretations_value__unit)
                                    if data__interpretations_value__unit_len < 1:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.unit".format(**locals()) + " must be longer than or equal to 1 characters")
                            if "units" in data__interpretations_value_keys:
                                data__interpretations_value_keys.remove("units")
                                data__interpretations_value__units = data__interpretations_value["units"]
                                if not isinstance(data__interpretations_value__units, (list, tuple)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.units".format(**locals()) + " must be array")
                                data__interpretations_value__units_is_list = isinstance(data__interpretations_value__units, (list, tuple))
                                if data__interpretations_value__units_is_list:
                                    data__interpretations_value__units_len = len(data__interpretations_value__units)
                                    if data__interpretations_value__units_len < 1:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.units".format(**locals()) + " must contain at least 1 items")
                                    for data__interpretations_value__units_x, data__interpretations_value__units_item in enumerate(data__interpretations_value__units):
                                        if not isinstance(data__interpretations_value__units_item, (dict)):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.units[{data__interpretations_value__units_x}]".format(**locals()) + " must be object")
                                        data__interpretations_value__units_item_is_dict = isinstance(data__interpretations_value__units_item, dict)
                                        if data__interpretations_value__units_item_is_dict:
                                            data__interpretations_value__units_item__missing_keys = set(['ucum', 'factor']) - data__interpretations_value__units_item.keys()
                                            if data__interpretations_value__units_item__missing_keys:
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.units[{data__interpretations_value__units_x}]".format(**locals()) + " must contain ")
                                            data__interpretations_value__units_item_keys = set(data__interpretations_value__units_item.keys())
                                            if "ucum" in data__interpretations_value__units_item_keys:
                                                data__interpretations_value__units_item_keys.remove("ucum")
                                                data__interpretations_value__units_item__ucum = data__interpretations_value__units_item["ucum"]
                                                if not isinstance(data__interpretations_value__units_item__ucum, (str)):
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.units[{data__interpretations_value__units_x}].ucum".format(**locals()) + " must be string")
                                                if isinstance(data__interpretations_value__units_item__ucum, str):
                                                    data__interpretations_value__units_item__ucum_len = len(data__interpretations_value__units_item__ucum)
                                                    if data__interpretations_value__units_item__ucum_len < 1:
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.units[{data__interpretations_value__units_x}].ucum".format(**locals()) + " must be longer than or equal to 1 characters")
                                            if "factor" in data__interpretations_value__units_item_keys:
                                                data__interpretations_value__units_item_keys.remove("factor")
                                                data__interpretations_value__units_item__factor = data__interpretations_value__units_item["factor"]
                                                if not isinstance(data__interpretations_value__units_item__factor, (int, float, Decimal)) or isinstance(data__interpretations_value__units_item__factor, bool):
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.units[{data__interpretations_value__units_x}].factor".format(**locals()) + " must be number")
                                                if isinstance(data__interpretations_value__units_item__factor, (int, float, Decimal)) and not isinstance(data__interpretations_value__units_item__factor, bool):
                                                    if data__interpretations_value__units_item__factor <= 0:
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.units[{data__interpretations_value__units_x}].factor".format(**locals()) + " must be bigger than 0")
                                            if "aliases" in data__interpretations_value__units_item_keys:
                                                data__interpretations_value__units_item_keys.remove("aliases")
                                                data__interpretations_value__units_item__aliases = data__interpretations_value__units_item["aliases"]
                                                if not isinstance(data__interpretations_value__units_item__aliases, (list, tuple)):
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.units[{data__interpretations_value__units_x}].aliases".format(**locals()) + " must be array")
                                                data__interpretations_value__units_item__aliases_is_list = isinstance(data__interpretations_value__units_item__aliases, (list, tuple))
                                                if data__interpretations_value__units_item__aliases_is_list:
                                                    data__interpretations_value__units_item__aliases_len = len(data__interpretations_value__units_item__aliases)
                                                    for data__interpretations_value__units_item__aliases_x, data__interpretations_value__units_item__aliases_item in enumerate(data__interpretations_value__units_item__aliases):
                                                        if not isinstance(data__interpretations_value__units_item__aliases_item, (str)):
                                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.units[{data__interpretations_value__units_x}].aliases[{data__interpretations_value__units_item__aliases_x}]".format(**locals()) + " must be string")
                                                        if isinstance(data__interpretations_value__units_item__aliases_item, str):
                                                            data__interpretations_value__units_item__aliases_item_len = len(data__interpretations_value__units_item__aliases_item)
                                                            if data__interpretations_value__units_item__aliases_item_len < 1:
                                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.units[{data__interpretations_value__units_x}].aliases[{data__interpretations_value__units_item__aliases_x}]".format(**locals()) + " must be longer than or equal to 1 characters")
                                            if data__interpretations_value__units_item_keys:
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.units[{data__interpretations_value__units_x}]".format(**locals()) + " must not contain "+str(data__interpretations_value__units_item_keys)+" properties")
                            if "bands" in data__interpretations_value_keys:
                                data__interpretations_value_keys.remove("bands")
                                data__interpretations_value__bands = data__interpretations_value["bands"]
                                if not isinstance(data__interpretations_value__bands, (dict)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.bands".format(**locals()) + " must be object")
                                data__interpretations_value__bands_is_dict = isinstance(data__interpretations_value__bands, dict)
                                if data__interpretations_value__bands_is_dict:
                                    data__interpretations_value__bands__missing_keys = set(['default']) - data__interpretations_value__bands.keys()
                                    if data__interpretations_value__bands__missing_keys:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.bands".format(**locals()) + " must contain ")
                                    data__interpretations_value__bands_keys = set(data__interpretations_value__bands.keys())
                                    for data__interpretations_value__bands_key in data__interpretations_value__bands_keys:
                                        if data__interpretations_value__bands_key not in []:
                                            data__interpretations_value__bands_value = data__interpretations_value__bands.get(data__interpretations_value__bands_key)
                                            if not isinstance(data__interpretations_value__bands_value, (list, tuple)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.bands.{data__interpretations_value__bands_key}".format(**locals()) + " must be array")
                                            data__interpretations_value__bands_value_is_list = isinstance(data__interpretations_value__bands_value, (list, tuple))
                                            if data__interpretations_value__bands_value_is_list:
                                                data__interpretations_value__bands_value_len = len(data__interpretations_value__bands_value)
                                                if data__interpretations_value__bands_value_len < 2:
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.bands.{data__interpretations_value__bands_key}".format(**locals()) + " must contain at least 2 items")
                                                for data__interpretations_value__bands_value_x, data__interpretations_value__bands_value_item in enumerate(data__interpretations_value__bands_value):
                                                    validate___definitions_band(data__interpretations_value__bands_value_item, custom_formats, (name_prefix or "data") + ".interpretations.{data__interpretations_key}.bands.{data__interpretations_value__bands_key}[{data__interpretations_value__bands_value_x}]".format(**locals()))
                                    data__interpretations_value__bands_len = len(data__interpretations_value__bands)
                                    if data__interpretations_value__bands_len != 0:
                                        data__interpretations_value__bands_property_names = True
                                        for data__interpretations_value__bands_key in data__interpretations_value__bands:
                                            try:
                                                validate___definitions_key(data__interpretations_value__bands_key, custom_formats, (name_prefix or "data") + ".interpretations.{data__interpretations_key}.bands".format(**locals()))
                                            except (JsonSchemaValueException, JsonSchemaValuesException):
                                                data__interpretations_value__bands_property_names = False
                                        if not data__interpretations_value__bands_property_names:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}.bands".format(**locals()) + " must be named by propertyName definition")
                            if "sources" in data__interpretations_value_keys:
                                data__interpretations_value_keys.remove("sources")
                                data__interpretations_value__sources = data__interpretations_value["sources"]
                                validate___definitions_sources(data__interpretations_value__sources, custom_formats, (name_prefix or "data") + ".interpretations.{data__interpretations_key}.sources".format(**locals()))
                            if data__interpretations_value_keys:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations.{data__interpretations_key}".format(**locals()) + " must not contain "+str(data__interpretations_value_keys)+" properties")
                data__interpretations_len = len(data__interpretations)
                if data__interpretations_len != 0:
                    data__interpretations_property_names = True
                    for data__interpretations_key in data__interpretations:
                        try:
                            validate___definitions_key(data__interpretations_key, custom_formats, (name_prefix or "data") + ".interpretations")
                        except (JsonSchemaValueException, JsonSchemaValuesException):
                            data__interpretations_property_names = False
                    if not data__interpretations_property_names:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".interpretations must be named by propertyName definition")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_band(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['band', 'flag', 'action']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "below" in data_keys:
            data_keys.remove("below")
            data__below = data["below"]
            if not isinstance(data__below, (int, float, Decimal)) or isinstance(data__below, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".below must be number")
        if "at_most" in data_keys:
            data_keys.remove("at_most")
            data__atmost = data["at_most"]
            if not isinstance(data__atmost, (int, float, Decimal)) or isinstance(data__atmost, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".at_most must be number")
        if "band" in data_keys:
            data_keys.remove("band")
            data__band = data["band"]
            if not isinstance(data__band, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".band must be string")
            if isinstance(data__band, str):
                data__band_len = len(data__band)
                if data__band_len < 3:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".band must be longer than or equal to 3 characters")
        if "flag" in data_keys:
            data_keys.remove("flag")
            data__flag = data["flag"]
            if not (isinstance(data__flag, str) and data__flag == 'normal' or isinstance(data__flag, str) and data__flag == 'low' or isinstance(data__flag, str) and data__flag == 'high' or isinstance(data__flag, str) and data__flag == 'critical'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".flag must be one of ['normal', 'low', 'high', 'critical']")
        if "action" in data_keys:
            data_keys.remove("action")
            data__action = data["action"]
            if not isinstance(data__action, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".action must be string")
            if isinstance(data__action, str):
                data__action_len = len(data__action)
                if data__action_len < 3:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".action must be longer than or equal to 3 characters")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_sources(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (list, tuple)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be array")
    data_is_list = isinstance(data, (list, tuple))
    if data_is_list:
        data_len = len(data)
        if data_len < 1:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain at least 1 items")
        for data_x, data_item in enumerate(data):
            validate___definitions_source(data_item, custom_formats, (name_prefix or "data") + "[{data_x}]".format(**locals()))
    return data

def validate___definitions_source(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        data_len = len(data)
        if data_len < 8:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be longer than or equal to 8 characters")
    return data

def validate___definitions_schedule(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_any_of_count4 = 0
    if not data_any_of_count4:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['at_start']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
                data_keys = set(data.keys())
                if "at_start" in data_keys:
                    data_keys.remove("at_start")
                    data__atstart = data["at_start"]
                    if not (isinstance(data__atstart, bool) and data__atstart is True):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".at_start must be one of [True]")
            data_any_of_count4 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if not data_any_of_count4:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['after_start_days']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
            data_any_of_count4 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if not data_any_of_count4:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['after_dose_change_days']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
            data_any_of_count4 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if not data_any_of_count4:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['intervals']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
            data_any_of_count4 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if not data_any_of_count4:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['when']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
            data_any_of_count4 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if not data_any_of_count4:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " cannot be validated by any definition")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "at_start" in data_keys:
            data_keys.remove("at_start")
            data__atstart = data["at_start"]
            if not isinstance(data__atstart, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".at_start must be boolean")
        if "after_start_days" in data_keys:
            data_keys.remove("after_start_days")
            data__afterstartdays = data["after_start_days"]
            validate___definitions_days(data__afterstartdays, custom_formats, (name_prefix or "data") + ".after_start_days")
        if "after_dose_change_days" in data_keys:
            data_keys.remove("after_dose_change_days")
            data__afterdosechangedays = data["after_dose_change_days"]
            validate___definitions_days(data__afterdosechangedays, custom_formats, (name_prefix or "data") + ".after_dose_change_days")
        if "early_days" in data_keys:
            data_keys.remove("early_days")
            data__earlydays = data["early_days"]
            if not isinstance(data__earlydays, (int)) and not (isinstance(data__earlydays, float) and data__earlydays.is_integer()) or isinstance(data__earlydays, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".early_days must be integer")
            if isinstance(data__earlydays, (int, float, Decimal)) and not isinstance(data__earlydays, bool):
                if data__earlydays < 0:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".early_days must be bigger than or equal to 0")
        if "intervals" in data_keys:
            data_keys.remove("intervals")
            data__intervals = data["intervals"]
            if not isinstance(data__intervals, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".intervals must be array")
            data__intervals_is_list = isinstance(data__intervals, (list, tuple))
            if data__intervals_is_list:
                data__intervals_len = len(data__intervals)
                if data__intervals_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".intervals must contain at least 1 items")
                for data__intervals_x, data__intervals_item in enumerate(data__intervals):
                    if not isinstance(data__intervals_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".intervals[{data__intervals_x}]".format(**locals()) + " must be object")
                    data__intervals_item_is_dict = isinstance(data__intervals_item, dict)
                    if data__intervals_item_is_dict:
                        data__intervals_item__missing_keys = set(['every_days']) - data__intervals_item.keys()
                        if data__intervals_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".intervals[{data__intervals_x}]".format(**locals()) + " must contain ")
                        data__intervals_item_keys = set(data__intervals_item.keys())
                        if "every_days" in data__intervals_item_keys:
                            data__intervals_item_keys.remove("every_days")
                            data__intervals_item__everydays = data__intervals_item["every_days"]
                            if not isinstance(data__intervals_item__everydays, (int)) and not (isinstance(data__intervals_item__everydays, float) and data__intervals_item__everydays.is_integer()) or isinstance(data__intervals_item__everydays, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".intervals[{data__intervals_x}].every_days".format(**locals()) + " must be integer")
                            if isinstance(data__intervals_item__everydays, (int, float, Decimal)) and not isinstance(data__intervals_item__everydays, bool):
                                if data__intervals_item__everydays < 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".intervals[{data__intervals_x}].every_days".format(**locals()) + " must be bigger than or equal to 1")
                        if "until_day" in data__intervals_item_keys:
                            data__intervals_item_keys.remove("until_day")
                            data__intervals_item__untilday = data__intervals_item["until_day"]
                            if not isinstance(data__intervals_item__untilday, (int)) and not (isinstance(data__intervals_item__untilday, float) and data__intervals_item__untilday.is_integer()) or isinstance(data__intervals_item__untilday, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".intervals[{data__intervals_x}].until_day".format(**locals()) + " must be integer")
                            if isinstance(data__intervals_item__untilday, (int, float, Decimal)) and not isinstance(data__intervals_item__untilday, bool):
                                if data__intervals_item__untilday < 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".intervals[{data__intervals_x}].until_day".format(**locals()) + " must be bigger than or equal to 1")
                        if data__intervals_item_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".intervals[{data__intervals_x}]".format(**locals()) + " must not contain "+str(data__intervals_item_keys)+" properties")
        if "when" in data_keys:
            data_keys.remove("when")
            data__when = data["when"]
            if not isinstance(data__when, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".when must be string")
            if isinstance(data__when, str):
                data__when_len = len(data__when)
                if data__when_len < 3:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".when must be longer than or equal to 3 characters")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_days(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (list, tuple)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be array")
    data_is_list = isinstance(data, (list, tuple))
    if data_is_list:
        def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
        data_len = len(data)
        if data_len > len(set(fn(data_x) for data_x in data)):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain unique items")
        for data_x, data_item in enumerate(data):
            if not isinstance(data_item, (int)) and not (isinstance(data_item, float) and data_item.is_integer()) or isinstance(data_item, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + "[{data_x}]".format(**locals()) + " must be integer")
            if isinstance(data_item, (int, float, Decimal)) and not isinstance(data_item, bool):
                if data_item < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + "[{data_x}]".format(**locals()) + " must be bigger than or equal to 1")
    return data

def validate___definitions_class(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[a-z0-9\\-]+$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^[a-z0-9\\-]+$")
    return data

def validate___definitions_name(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[a-z][a-z0-9 \\-/]*$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^[a-z][a-z0-9 \\-/]*$")
    return data

def validate___definitions_key(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[a-z][a-z0-9\\-]*$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^[a-z][a-z0-9\\-]*$")
    return data

def validate___definitions_coded(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['name', 'loinc']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be string")
            if isinstance(data__name, str):
                data__name_len = len(data__name)
                if data__name_len < 2:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be longer than or equal to 2 characters")
        if "loinc" in data_keys:
            data_keys.remove("loinc")
            data__loinc = data["loinc"]
            validate___definitions_loinc(data__loinc, custom_formats, (name_prefix or "data") + ".loinc")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_loinc(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str, NoneType)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string or null")
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[0-9]{1,7}-[0-9]$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^[0-9]{1,7}-[0-9]$")
    return data