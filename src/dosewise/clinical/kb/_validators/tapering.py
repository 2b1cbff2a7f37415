# Generated from schema/tapering.schema.json by build_validators; do not edit.
# ruff: noqa
SCHEMA_SHA256 = 'dd5b4bbbbf65e41aeff822a2c959e5aed8b78c71f6ac13e1a8357bab18a5c629'
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[a-z0-9\\-]+$': re.compile('^[a-z0-9\\-]+\\Z'),
    '^[a-z][a-z0-9 \\-/]*$': re.compile('^[a-z][a-z0-9 \\-/]*\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['hyperbolic', 'percentage', 'occupancy', 'no_split']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "hyperbolic" in data_keys:
            data_keys.remove("hyperbolic")
            data__hyperbolic = data["hyperbolic"]
            if not isinstance(data__hyperbolic, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".hyperbolic must be object")
            data__hyperbolic_is_dict = isinstance(data__hyperbolic, dict)
            if data__hyperbolic_is_dict:
                data__hyperbolic__missing_keys = set(['step_points', 'min_step_points', 'max_step_points', 'interval_days', 'source']) - data__hyperbolic.keys()
                if data__hyperbolic__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".hyperbolic must contain ")
                data__hyperbolic_keys = set(data__hyperbolic.keys())
                if "step_points" in data__hyperbolic_keys:
                    data__hyperbolic_keys.remove("step_points")
                    data__hyperbolic__steppoints = data__hyperbolic["step_points"]
                    if not isinstance(data__hyperbolic__steppoints, (int, float, Decimal)) or isinstance(data__hyperbolic__steppoints, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".hyperbolic.step_points must be number")
                    if isinstance(data__hyperbolic__steppoints, (int, float, Decimal)) and not isinstance(data__hyperbolic__steppoints, bool):
                        if data__hyperbolic__steppoints <= 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".hyperbolic.step_points must be bigger than 0")
                if "min_step_points" in data__hyperbolic_keys:
                    data__hyperbolic_keys.remove("min_step_points")
                    data__hyperbolic__minsteppoints = data__hyperbolic["min_step_points"]
                    if not isinstance(data__hyperbolic__minsteppoints, (int, float, Decimal)) or isinstance(data__hyperbolic__minsteppoints, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".hyperbolic.min_step_points must be number")
                    if isinstance(data__hyperbolic__minsteppoints, (int, float, Decimal)) and not isinstance(data__hyperbolic__minsteppoints, bool):
                        if data__hyperbolic__minsteppoints <= 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".hyperbolic.min_step_points must be bigger than 0")
                if "max_step_points" in data__hyperbolic_keys:
                    data__hyperbolic_keys.remove("max_step_points")
                    data__hyperbolic__maxsteppoints = data__hyperbolic["max_step_points"]
                    if not isinstance(data__hyperbolic__maxsteppoints, (int, float, Decimal)) or isinstance(data__hyperbolic__maxsteppoints, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".hyperbolic.max_step_points must be number")
                    if isinstance(data__hyperbolic__maxsteppoints, (int, float, Decimal)) and not isinstance(data__hyperbolic__maxsteppoints, bool):
                        if data__hyperbolic__maxsteppoints <= 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".hyperbolic.max_step_points must be bigger than 0")
                if "interval_days" in data__hyperbolic_keys:
                    data__hyperbolic_keys.remove("interval_days")
                    data__hyperbolic__intervaldays = data__hyperbolic["interval_days"]
                    if not isinstance(data__hyperbolic__intervaldays, (int)) and not (isinstance(data__hyperbolic__intervaldays, float) and data__hyperbolic__intervaldays.is_integer()) or isinstance(data__hyperbolic__intervaldays, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".hyperbolic.interval_days must be integer")
                    if isinstance(data__hyperbolic__intervaldays, (int, float, Decimal)) and not isinstance(data__hyperbolic__intervaldays, bool):
                        if data__hyperbolic__intervaldays < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".hyperbolic.interval_days must be bigger than or equal to 1")
                if "source" in data__hyperbolic_keys:
                    data__hyperbolic_keys.remove("source")
                    data__hyperbolic__source = data__hyperbolic["source"]
                    validate___definitions_source(data__hyperbolic__source, custom_formats, (name_prefix or "data") + ".hyperbolic.source")
                if data__hyperbolic_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".hyperbolic must not contain "+str(data__hyperbolic_keys)+" properties")
        if "percentage" in data_keys:
            data_keys.remove("percentage")
            data__percentage = data["percentage"]
            if not isinstance(data__percentage, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage must be object")
            data__percentage_is_dict = isinstance(data__percentage, dict)
            if data__percentage_is_dict:
                data__percentage__missing_keys = set(['percent', 'min_percent', 'max_percent', 'interval_days', 'source', 'groups']) - data__percentage.keys()
                if data__percentage__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage must contain ")
                data__percentage_keys = set(data__percentage.keys())
                if "percent" in data__percentage_keys:
                    data__percentage_keys.remove("percent")
                    data__percentage__percent = data__percentage["percent"]
                    if not isinstance(data__percentage__percent, (int, float, Decimal)) or isinstance(data__percentage__percent, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.percent must be number")
                    if isinstance(data__percentage__percent, (int, float, Decimal)) and not isinstance(data__percentage__percent, bool):
                        if data__percentage__percent > 100:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.percent must be smaller than or equal to 100")
                        if data__percentage__percent <= 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.percent must be bigger than 0")
                if "min_percent" in data__percentage_keys:
                    data__percentage_keys.remove("min_percent")
                    data__percentage__minpercent = data__percentage["min_percent"]
                    if not isinstance(data__percentage__minpercent, (int, float, Decimal)) or isinstance(data__percentage__minpercent, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.min_percent must be number")
                    if isinstance(data__percentage__minpercent, (int, float, Decimal)) and not isinstance(data__percentage__minpercent, bool):
                        if data__percentage__minpercent > 100:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.min_percent must be smaller than or equal to 100")
                        if data__percentage__minpercent <= 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.min_percent must be bigger than 0")
                if "max_percent" in data__percentage_keys:
                    data__percentage_keys.remove("max_percent")
                    data__percentage__maxpercent = data__percentage["max_percent"]
                    if not isinstance(data__percentage__maxpercent, (int, float, Decimal)) or isinstance(data__percentage__maxpercent, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.max_percent must be number")
                    if isinstance(data__percentage__maxpercent, (int, float, Decimal)) and not isinstance(data__percentage__maxpercent, bool):
                        if data__percentage__maxpercent > 100:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.max_percent must be smaller than or equal to 100")
                        if data__percentage__maxpercent <= 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.max_percent must be bigger than 0")
                if "interval_days" in data__percentage_keys:
                    data__percentage_keys.remove("interval_days")
                    data__percentage__intervaldays = data__percentage["interval_days"]
                    if not isinstance(data__percentage__intervaldays, (int)) and not (isinstance(data__percentage__intervaldays, float) and data__percentage__intervaldays.is_integer()) or isinstance(data__percentage__intervaldays, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.interval_days must be integer")
                    if isinstance(data__percentage__intervaldays, (int, float, Decimal)) and not isinstance(data__percentage__intervaldays, bool):
                        if data__percentage__intervaldays < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.interval_days must be bigger than or equal to 1")
                if "source" in data__percentage_keys:
                    data__percentage_keys.remove("source")
                    data__percentage__source = data__percentage["source"]
                    validate___definitions_source(data__percentage__source, custom_formats, (name_prefix or "data") + ".percentage.source")
                if "groups" in data__percentage_keys:
                    data__percentage_keys.remove("groups")
                    data__percentage__groups = data__percentage["groups"]
                    if not isinstance(data__percentage__groups, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.groups must be array")
                    data__percentage__groups_is_list = isinstance(data__percentage__groups, (list, tuple))
                    if data__percentage__groups_is_list:
                        data__percentage__groups_len = len(data__percentage__groups)
                        for data__percentage__groups_x, data__percentage__groups_item in enumerate(data__percentage__groups):
                            if not isinstance(data__percentage__groups_item, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.groups[{data__percentage__groups_x}]".format(**locals()) + " must be object")
                            data__percentage__groups_item_is_dict = isinstance(data__percentage__groups_item, dict)
                            if data__percentage__groups_item_is_dict:
                                data__percentage__groups_item__missing_keys = set(['id', 'classes', 'percent', 'interval_days', 'source']) - data__percentage__groups_item.keys()
                                if data__percentage__groups_item__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.groups[{data__percentage__groups_x}]".format(**locals()) + " must contain ")
                                data__percentage__groups_item_keys = set(data__percentage__groups_item.keys())
                                if "id" in data__percentage__groups_item_keys:
                                    data__percentage__groups_item_keys.remove("id")
                                    data__percentage__groups_item__id = data__percentage__groups_item["id"]
                                    if not isinstance(data__percentage__groups_item__id, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.groups[{data__percentage__groups_x}].id".format(**locals()) + " must be string")
                                    if isinstance(data__percentage__groups_item__id, str):
                                        if not REGEX_PATTERNS['^[a-z0-9\\-]+$'].search(data__percentage__groups_item__id):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.groups[{data__percentage__groups_x}].id".format(**locals()) + " must match pattern ^[a-z0-9\\-]+$")
                                if "classes" in data__percentage__groups_item_keys:
                                    data__percentage__groups_item_keys.remove("classes")
                                    data__percentage__groups_item__classes = data__percentage__groups_item["classes"]
                                    if not isinstance(data__percentage__groups_item__classes, (list, tuple)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.groups[{data__percentage__groups_x}].classes".format(**locals()) + " must be array")
                                    data__percentage__groups_item__classes_is_list = isinstance(data__percentage__groups_item__classes, (list, tuple))
                                    if data__percentage__groups_item__classes_is_list:
                                        data__percentage__groups_item__classes_len = len(data__percentage__groups_item__classes)
                                        if data__percentage__groups_item__classes_len < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.groups[{data__percentage__groups_x}].classes".format(**locals()) + " must contain at least 1 items")
                                        for data__percentage__groups_item__classes_x, data__percentage__groups_item__classes_item in enumerate(data__percentage__groups_item__classes):
                                            if not isinstance(data__percentage__groups_item__classes_item, (str)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.groups[{data__percentage__groups_x}].classes[{data__percentage__groups_item__classes_x}]".format(**locals()) + " must be string")
                                            if isinstance(data__percentage__groups_item__classes_item, str):
                                                if not REGEX_PATTERNS['^[a-z0-9\\-]+$'].search(data__percentage__groups_item__classes_item):
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.groups[{data__percentage__groups_x}].classes[{data__percentage__groups_item__classes_x}]".format(**locals()) + " must match pattern ^[a-z0-9\\-]+$")
                                if "percent" in data__percentage__groups_item_keys:
                                    data__percentage__groups_item_keys.remove("percent")
                                    data__percentage__groups_item__percent = data__percentage__groups_item["percent"]
                                    if not isinstance(data__percentage__groups_item__percent, (int, float, Decimal)) or isinstance(data__percentage__groups_item__percent, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.groups[{data__percentage__groups_x}].percent".format(**locals()) + " must be number")
                                    if isinstance(data__percentage__groups_item__percent, (int, float, Decimal)) and not isinstance(data__percentage__groups_item__percent, bool):
                                        if data__percentage__groups_item__percent > 100:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.groups[{data__percentage__groups_x}].percent".format(**locals()) + " must be smaller than or equal to 100")
                                        if data__percentage__groups_item__percent <= 0:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.groups[{data__percentage__groups_x}].percent".format(**locals()) + " must be bigger than 0")
                                if "interval_days" in data__percentage__groups_item_keys:
                                    data__percentage__groups_item_keys.remove("interval_days")
                                    data__percentage__groups_item__intervaldays = data__percentage__groups_item["interval_days"]
                                    if not isinstance(data__percentage__groups_item__intervaldays, (int)) and not (isinstance(data__percentage__groups_item__intervaldays, float) and data__percentage__groups_item__intervaldays.is_integer()) or isinstance(data__percentage__groups_item__intervaldays, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.groups[{data__percentage__groups_x}].interval_days".format(**locals()) + " must be integer")
                                    if isinstance(data__percentage__groups_item__intervaldays, (int, float, Decimal)) and not isinstance(data__percentage__groups_item__intervaldays, bool):
                                        if data__percentage__groups_item__intervaldays < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.groups[{data__percentage__groups_x}].interval_days".format(**locals()) + " must be bigger than or equal to 1")
                                if "source" in data__percentage__groups_item_keys:
                                    data__percentage__groups_item_keys.remove("source")
                                    data__percentage__groups_item__source = data__percentage__groups_item["source"]
                                    validate___definitions_source(data__percentage__groups_item__source, custom_formats, (name_prefix or "data") + ".percentage.groups[{data__percentage__groups_x}].source".format(**locals()))
                                if data__percentage__groups_item_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage.groups[{data__percentage__groups_x}]".format(**locals()) + " must not contain "+str(data__percentage__groups_item_keys)+" properties")
                if data__percentage_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".percentage must not contain "+str(data__percentage_keys)+" properties")
        if "occupancy" in data_keys:
            data_keys.remove("occupancy")
            data__occupancy = data["occupancy"]
            if not isinstance(data__occupancy, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".occupancy must be array")
            data__occupancy_is_list = isinstance(data__occupancy, (list, tuple))
            if data__occupancy_is_list:
                data__occupancy_len = len(data__occupancy)
                for data__occupancy_x, data__occupancy_item in enumerate(data__occupancy):
                    if not isinstance(data__occupancy_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".occupancy[{data__occupancy_x}]".format(**locals()) + " must be object")
                    data__occupancy_item_is_dict = isinstance(data__occupancy_item, dict)
                    if data__occupancy_item_is_dict:
                        data__occupancy_item__missing_keys = set(['drug', 'target', 'emax_percent', 'ed50_mg', 'source']) - data__occupancy_item.keys()
                        if data__occupancy_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".occupancy[{data__occupancy_x}]".format(**locals()) + " must contain ")
                        data__occupancy_item_keys = set(data__occupancy_item.keys())
                        if "drug" in data__occupancy_item_keys:
                            data__occupancy_item_keys.remove("drug")
                            data__occupancy_item__drug = data__occupancy_item["drug"]
                            validate___definitions_name(data__occupancy_item__drug, custom_formats, (name_prefix or "data") + ".occupancy[{data__occupancy_x}].drug".format(**locals()))
                        if "target" in data__occupancy_item_keys:
                            data__occupancy_item_keys.remove("target")
                            data__occupancy_item__target = data__occupancy_item["target"]
                            if not isinstance(data__occupancy_item__target, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".occupancy[{data__occupancy_x}].target".format(**locals()) + " must be string")
                        if "emax_percent" in data__occupancy_item_keys:
                            data__occupancy_item_keys.remove("emax_percent")
                            data__occupancy_item__emaxpercent = data__occupancy_item["emax_percent"]
                            if not isinstance(data__occupancy_item__emaxpercent, (int, float, Decimal)) or isinstance(data__occupancy_item__emaxpercent, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".occupancy[{data__occupancy_x}].emax_percent".format(**locals()) + " must be number")
                            if isinstance(data__occupancy_item__emaxpercent, (int, float, Decimal)) and not isinstance(data__occupancy_item__emaxpercent, bool):
                                if data__occupancy_item__emaxpercent > 100:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".occupancy[{data__occupancy_x}].emax_percent".format(**locals()) + " must be smaller than or equal to 100")
                                if data__occupancy_item__emaxpercent <= 0:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".occupancy[{data__occupancy_x}].emax_percent".format(**locals()) + " must be bigger than 0")
                        if "ed50_mg" in data__occupancy_item_keys:
                            data__occupancy_item_keys.remove("ed50_mg")
                            data__occupancy_item__ed50mg = data__occupancy_item["ed50_mg"]
                            if not isinstance(data__occupancy_item__ed50mg, (int, float, Decimal)) or isinstance(data__occupancy_item__ed50mg, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".occupancy[{data__occupancy_x}].ed50_mg".format(**locals()) + " must be number")
                            if isinstance(data__occupancy_item__ed50mg, (int, float, Decimal)) and not isinstance(data__occupancy_item__ed50mg, bool):
                                if data__occupancy_item__ed50mg <= 0:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".occupancy[{data__occupancy_x}].ed50_mg".format(**locals()) + " must be bigger than 0")
                        if "derivation" in data__occupancy_item_keys:
                            data__occupancy_item_keys.remove("derivation")
                            data__occupancy_item__derivation = data__occupancy_item["derivation"]
                            if not isinstance(data__occupancy_item__derivation, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".occupancy[{data__occupancy_x}].derivation".format(**locals()) + " must be string")
                        if "source" in data__occupancy_item_keys:
                            data__occupancy_item_keys.remove("source")
                            data__occupancy_item__source = data__occupancy_item["source"]
                            validate___definitions_source(data__occupancy_item__source, custom_formats, (name_prefix or "data") + ".occupancy[{data__occupancy_x}].source".format(**locals()))
                        if data__occupancy_item_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".occupancy[{data__occupancy_x}]".format(**locals()) + " must not contain "+str(data__occupancy_item_keys)+" properties")
        if "no_split" in data_keys:
            data_keys.remove("no_split")
            data__nosplit = data["no_split"]
            if not isinstance(data__nosplit, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".no_split must be array")
            data__nosplit_is_list = isinstance(data__nosplit, (list, tuple))
            if data__nosplit_is_list:
                data__nosplit_len = len(data__nosplit)
                for data__nosplit_x, data__nosplit_item in enumerate(data__nosplit):
                    if not isinstance(data__nosplit_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".no_split[{data__nosplit_x}]".format(**locals()) + " must be object")
                    data__nosplit_item_is_dict = isinstance(data__nosplit_item, dict)
                    if data__nosplit_item_is_dict:
                        data__nosplit_item__missing_keys = set(['drug', 'reason', 'source']) - data__nosplit_item.keys()
                        if data__nosplit_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".no_split[{data__nosplit_x}]".format(**locals()) + " must contain ")
                        data__nosplit_item_keys = set(data__nosplit_item.keys())
                        if "drug" in data__nosplit_item_keys:
                            data__nosplit_item_keys.remove("drug")
                            data__nosplit_item__drug = data__nosplit_item["drug"]
                            validate___definitions_name(data__nosplit_item__drug, custom_formats, (name_prefix or "data") + ".no_split[{data__nosplit_x}].drug".format(**locals()))
                        if "reason" in data__nosplit_item_keys:
                            data__nosplit_item_keys.remove("reason")
                            data__nosplit_item__reason = data__nosplit_item["reason"]
                            if not isinstance(data__nosplit_item__reason, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".no_split[{data__nosplit_x}].reason".format(**locals()) + " must be string")
                        if "source" in data__nosplit_item_keys:
                            data__nosplit_item_keys.remove("source")
                            data__nosplit_item__source = data__nosplit_item["source"]
                            validate___definitions_source(data__nosplit_item__source, custom_formats, (name_prefix or "data") + ".no_split[{data__nosplit_x}].source".format(**locals()))
                        if data__nosplit_item_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".no_split[{data__nosplit_x}]".format(**locals()) + " must not contain "+str(data__nosplit_item_keys)+" properties")
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

def validate___definitions_source(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        data_len = len(data)
        if data_len < 8:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be longer than or equal to 8 characters")
    return data